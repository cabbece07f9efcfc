/**
 * Reads what the helper typed into "computer name or IP": `pc-42`, `pc-42.corp.example`,
 * `10.0.0.7`, `10.0.0.7:50000`, `fe80::1`, `[fe80::1]:50000`. An explicit port field wins over a
 * port in the text; otherwise the default offer port applies.
 */
import { AppError } from '../../src-shared/contract/errors';

/** Where to offer help. */
export interface OfferTarget {
  host: string;
  port: number;
}

/** Splits host and port; throws AppError('invalid-input') for text that cannot be an address. */
export function parseOfferTarget(text: string, explicitPort: number | undefined, defaultPort: number): OfferTarget {
  const t = text.trim();
  let host = t;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(t);
  const hostPort = /^([^:[\]]+):(\d{1,5})$/.exec(t);
  if (bracketed) {
    host = bracketed[1]!;
    if (bracketed[2]) port = Number(bracketed[2]);
  } else if (hostPort) {
    host = hostPort[1]!;
    port = Number(hostPort[2]);
  }
  if (!host || host.length > 253 || /[\s/\\@]/.test(host)) throw new AppError('invalid-input', 'Type a computer name or IP address, such as pc-42 or 10.0.0.7.');
  const p = explicitPort ?? port ?? defaultPort;
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new AppError('invalid-input', `${p} is not a port number (1 to 65535).`);
  return { host, port: p };
}
