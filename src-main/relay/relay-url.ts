/**
 * Validates the relay address a client connects to. wss:// (TLS) is required, except for a relay
 * on this computer (loopback), which tests and local experiments use with ws://. The link is
 * end-to-end encrypted either way; TLS additionally hides the pairing id and the traffic pattern
 * from the network and stops anyone on the path from injecting relay notices (a cheap DoS).
 */
import { isIP } from 'node:net';
import { AppError } from '../../src-shared/contract/errors';

/**
 * Returns the normalised WebSocket URL (https:// → wss://, http:// → ws://), or throws an AppError
 * ('invalid-input') that says what to change.
 */
export function parseRelayUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new AppError('invalid-input', `The relay address "${text.slice(0, 200)}" is not a valid URL. Use the form wss://relay.example.org (see Settings → Relay server).`);
  }
  if (url.protocol === 'https:') url.protocol = 'wss:';
  else if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol !== 'wss:' && url.protocol !== 'ws:') {
    throw new AppError('invalid-input', `The relay address must start with wss:// (it starts with ${url.protocol}//). Check Settings → Relay server.`);
  }
  if (url.username || url.password) throw new AppError('invalid-input', 'The relay address must not contain a user name or password.');
  if (url.protocol === 'ws:' && !isLoopbackHost(url.hostname)) {
    throw new AppError(
      'invalid-input',
      `The relay address ${url.origin} is not encrypted: use wss://${url.host}${url.pathname === '/' ? '' : url.pathname}. Plain ws:// is allowed only for a relay on this computer (127.0.0.1, ::1 or localhost), for tests.`,
    );
  }
  url.hash = '';
  return url;
}

/** True for localhost, 127.0.0.0/8 and ::1 (URL hostnames keep IPv6 brackets). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}
