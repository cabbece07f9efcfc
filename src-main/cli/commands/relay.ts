import type { CliCommand, CliIO } from '../cli-command';
import { startRelayServer, type RelayServer } from '../../relay/relay-server';
import { DEFAULT_RELAY_LIMITS, type RelayLimits } from '../../relay/relay-limits';
import { createJsonLog } from '../../relay/relay-log';
import { MemoryPairingStore } from '../../relay/memory-pairing-store';
import type { PairingStore } from '../../relay/pairing-store';
import { RedisPairingStore } from '../../relay/redis/redis-pairing-store';
import { parseRedisUrl } from '../../relay/redis/resp-client';

const USAGE = `Usage:
  remote-assist relay --port P [--host H] [--redis URL] [--trust-proxy IP,...] [limits]

Runs the rendezvous relay: pairs two Remote Assist apps by an opaque id and forwards their
end-to-end encrypted link. It cannot read or alter what it forwards. Put a TLS reverse proxy
(nginx, see docs/relay.md) in front of it: the apps require wss:// for any relay not on their
own computer. Logs are JSON lines on stdout. GET /healthz reports counts.

Options:
  --port P               TCP port (required; 0 picks a free one)
  --host H               interface (default 127.0.0.1, for a reverse proxy on the same machine)
  --redis URL            share pairings with other instances through Redis:
                         redis://[:password@]host[:port][/db] (or REMOTE_ASSIST_RELAY_REDIS,
                         which keeps the password out of the process list)
  --trust-proxy IPS      believe X-Forwarded-For from these proxy addresses (comma-separated)
  --max-connections-per-ip N     (default ${DEFAULT_RELAY_LIMITS.maxConnectionsPerIp})
  --max-pairings-per-minute N    new pairings per address per minute (default ${DEFAULT_RELAY_LIMITS.maxNewPairingsPerIpPerMinute})
  --max-connections N            in total (default ${DEFAULT_RELAY_LIMITS.maxConnections})
  --pair-rate BYTES              bytes/s per direction of a pair (default ${DEFAULT_RELAY_LIMITS.pairBytesPerSecond})
  --pair-quota BYTES             bytes per pair, both directions (default ${DEFAULT_RELAY_LIMITS.pairMaxBytes})
  --idle-timeout SECONDS         close a pair with no traffic (default ${DEFAULT_RELAY_LIMITS.idleTimeoutMs / 1000})
  --wait-timeout SECONDS         how long a host waits for a joiner (default ${DEFAULT_RELAY_LIMITS.waitTimeoutMs / 1000})
  --max-lifetime SECONDS         longest pair (default ${DEFAULT_RELAY_LIMITS.maxPairLifetimeMs / 1000})
`;

/** Numeric flags: name → [limit, multiplier from the unit on the command line]. */
const LIMIT_FLAGS: Record<string, [keyof RelayLimits, number]> = {
  '--max-connections-per-ip': ['maxConnectionsPerIp', 1],
  '--max-pairings-per-minute': ['maxNewPairingsPerIpPerMinute', 1],
  '--max-connections': ['maxConnections', 1],
  '--pair-rate': ['pairBytesPerSecond', 1],
  '--pair-quota': ['pairMaxBytes', 1],
  '--idle-timeout': ['idleTimeoutMs', 1000],
  '--wait-timeout': ['waitTimeoutMs', 1000],
  '--max-lifetime': ['maxPairLifetimeMs', 1000],
};

/** A started relay, for tests and for the signal handlers. */
export interface RunningRelay {
  readonly server: RelayServer;
  stop(): Promise<void>;
}

/** What the command needs from its surroundings; tests substitute them. */
export interface RelayCommandDeps {
  /** Stop on SIGINT/SIGTERM (default true; tests stop through `onStarted`). */
  handleSignals?: boolean;
  onStarted?: (relay: RunningRelay) => void;
}

/** Builds the `relay` command. */
export function createRelayCommand(deps: RelayCommandDeps = {}): CliCommand {
  return {
    name: 'relay',
    summary: 'run the rendezvous relay for apps that cannot reach each other directly (see: remote-assist relay --help)',
    run: (argv, io) => runRelay(argv, io, deps),
  };
}

/** `remote-assist relay`: the self-hostable rendezvous relay. */
export const relayCommand: CliCommand = createRelayCommand();

async function runRelay(argv: string[], io: CliIO, deps: RelayCommandDeps): Promise<number | null> {
  let port: number | undefined;
  let host = '127.0.0.1';
  let redisUrl = io.env.REMOTE_ASSIST_RELAY_REDIS || undefined;
  let trustedProxies: string[] = [];
  const limits: Partial<RelayLimits> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') {
      io.out(USAGE);
      return 0;
    }
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = inline ?? argv[++i];
    if (!flag.startsWith('--') || value === undefined || value.startsWith('--')) return usageError(io, `${JSON.stringify(a)} needs a value or is not an option`);
    if (flag === '--port') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 65535) return usageError(io, '--port must be a port number (0 to 65535)');
      port = n;
    } else if (flag === '--host') host = value;
    else if (flag === '--redis') redisUrl = value;
    else if (flag === '--trust-proxy') trustedProxies = value.split(',').map((s) => s.trim()).filter(Boolean);
    else if (flag in LIMIT_FLAGS) {
      const [key, unit] = LIMIT_FLAGS[flag]!;
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) return usageError(io, `${flag} must be a positive number`);
      limits[key] = Math.round(n * unit);
    } else return usageError(io, `unknown option ${JSON.stringify(flag)}`);
  }
  if (port === undefined) return usageError(io, '--port is required');

  const log = createJsonLog((line) => io.out(line + '\n'), { service: 'remote-assist-relay' });
  let store: PairingStore;
  if (redisUrl) {
    try {
      store = await RedisPairingStore.connect({ redis: parseRedisUrl(redisUrl), log });
    } catch (e) {
      // The URL may hold a password: say what failed without repeating it.
      io.err(`remote-assist relay: cannot use Redis (${e instanceof Error ? e.message : String(e)}). Check --redis or REMOTE_ASSIST_RELAY_REDIS.\n`);
      return 1;
    }
  } else store = new MemoryPairingStore();

  let server: RelayServer;
  try {
    server = await startRelayServer({ host, port, store, limits, log, trustedProxies });
  } catch (e) {
    await store.close();
    const code = (e as { code?: string }).code;
    io.err(`remote-assist relay: cannot listen on ${host}:${port} (${code ?? (e instanceof Error ? e.message : String(e))}).${code === 'EADDRINUSE' ? ' Another program uses that port.' : ''}\n`);
    return 1;
  }

  let stopping: Promise<void> | null = null;
  const onSignal = () => void relay.stop().then(() => (process.exitCode = 0));
  const relay: RunningRelay = {
    server,
    stop: () =>
      (stopping ??= (async () => {
        if (deps.handleSignals !== false) {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
        await server.close();
        await store.close();
      })()),
  };
  if (deps.handleSignals !== false) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  deps.onStarted?.(relay);
  return null;
}

function usageError(io: CliIO, message: string): number {
  io.err(`remote-assist relay: ${message}\n\n${USAGE}`);
  return 2;
}
