import type { CliCommand, CliIO } from '../cli-command';
import { startRelayServer, type RelayServer } from '../../relay/relay-server';
import { DEFAULT_RELAY_LIMITS, type RelayLimits } from '../../relay/relay-limits';
import { createJsonLog } from '../../relay/relay-log';
import { MemoryPairingStore } from '../../relay/memory-pairing-store';
import type { PairingStore } from '../../relay/pairing-store';
import { RedisPairingStore } from '../../relay/redis/redis-pairing-store';
import { parseRedisUrl } from '../../relay/redis/resp-client';
import { RedisCodeStore } from '../../relay/redis/redis-code-store';
import type { CodeStore } from '../../relay/code-store';
import { MemoryCodeStore } from '../../relay/memory-code-store';
import type { TurnConfig } from '../../relay/turn-credentials';
import fs from 'node:fs';

const USAGE = `Usage:
  remote-assist relay --port P [--host H] [--redis URL] [--trust-proxy IP,...]
                      [--turn-url URL,... --turn-secret-file FILE] [limits]

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
  --turn-url URLS        TURN servers (turn:host:3478?transport=udp,turns:host:5349) that share
                         a coturn static-auth-secret; paired apps get time-limited credentials
  --turn-secret-file F   file holding that secret (or REMOTE_ASSIST_RELAY_TURN_SECRET; avoid
                         --turn-secret S, which shows the secret in the process list)
  --turn-ttl SECONDS     how long a TURN credential is valid (default 43200, the longest pair)
  --max-connections-per-ip N     (default ${DEFAULT_RELAY_LIMITS.maxConnectionsPerIp})
  --max-pairings-per-minute N    new pairings per address per minute (default ${DEFAULT_RELAY_LIMITS.maxNewPairingsPerIpPerMinute})
  --max-connections N            in total (default ${DEFAULT_RELAY_LIMITS.maxConnections})
  --pair-rate BYTES              bytes/s per direction of a pair (default ${DEFAULT_RELAY_LIMITS.pairBytesPerSecond})
  --pair-quota BYTES             bytes per pair, both directions (default ${DEFAULT_RELAY_LIMITS.pairMaxBytes})
  --idle-timeout SECONDS         close a pair with no traffic (default ${DEFAULT_RELAY_LIMITS.idleTimeoutMs / 1000})
  --wait-timeout SECONDS         how long a host waits for a joiner (default ${DEFAULT_RELAY_LIMITS.waitTimeoutMs / 1000})
  --max-lifetime SECONDS         longest pair (default ${DEFAULT_RELAY_LIMITS.maxPairLifetimeMs / 1000})
  --code-lookups-per-minute N    Easy Connect code lookups per address (default ${DEFAULT_RELAY_LIMITS.codeLookupsPerIpPerMinute})
  --code-misses-per-hour N       unknown codes per address per hour (default ${DEFAULT_RELAY_LIMITS.codeMissesPerIpPerHour})
  --code-max-joins N             joins before a code burns, at most (default ${DEFAULT_RELAY_LIMITS.maxCodeJoins})
  --code-max-lifetime SECONDS    longest a code lives (default ${DEFAULT_RELAY_LIMITS.maxCodeLifetimeMs / 1000})
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
  '--code-lookups-per-minute': ['codeLookupsPerIpPerMinute', 1],
  '--code-misses-per-hour': ['codeMissesPerIpPerHour', 1],
  '--code-max-joins': ['maxCodeJoins', 1],
  '--code-max-lifetime': ['maxCodeLifetimeMs', 1000],
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
  let turnUrls: string[] = [];
  let turnSecret = io.env.REMOTE_ASSIST_RELAY_TURN_SECRET || undefined;
  let turnTtl = 12 * 3600;
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
    else if (flag === '--turn-url') turnUrls = [...turnUrls, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
    else if (flag === '--turn-secret') turnSecret = value;
    else if (flag === '--turn-secret-file') {
      try {
        turnSecret = fs.readFileSync(value, 'utf8').trim();
      } catch (e) {
        return usageError(io, `cannot read --turn-secret-file ${value} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
    } else if (flag === '--turn-ttl') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 60 || n > 7 * 86400) return usageError(io, '--turn-ttl must be whole seconds from 60 to 604800');
      turnTtl = n;
    }
    else if (flag in LIMIT_FLAGS) {
      const [key, unit] = LIMIT_FLAGS[flag]!;
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) return usageError(io, `${flag} must be a positive number`);
      limits[key] = Math.round(n * unit);
    } else return usageError(io, `unknown option ${JSON.stringify(flag)}`);
  }
  if (port === undefined) return usageError(io, '--port is required');
  const badTurnUrl = turnUrls.find((u) => !/^(turn|turns):[^\s]+$/.test(u));
  if (badTurnUrl) return usageError(io, `--turn-url ${JSON.stringify(badTurnUrl)} is not a turn: or turns: URL`);
  if (turnUrls.length > 8) return usageError(io, '--turn-url takes at most 8 URLs');
  if (turnUrls.length > 0 && !turnSecret) return usageError(io, '--turn-url needs the TURN secret: --turn-secret-file FILE or REMOTE_ASSIST_RELAY_TURN_SECRET');
  if (turnSecret && turnUrls.length === 0) return usageError(io, 'a TURN secret was given but no --turn-url');
  const turn: TurnConfig | undefined = turnSecret ? { secret: turnSecret, urls: turnUrls, ttlSeconds: turnTtl } : undefined;

  const log = createJsonLog((line) => io.out(line + '\n'), { service: 'remote-assist-relay' });
  let store: PairingStore;
  let codes: CodeStore;
  if (redisUrl) {
    try {
      store = await RedisPairingStore.connect({ redis: parseRedisUrl(redisUrl), log });
      try {
        codes = await RedisCodeStore.connect({ redis: parseRedisUrl(redisUrl) });
      } catch (e) {
        await store.close();
        throw e;
      }
    } catch (e) {
      // The URL may hold a password: say what failed without repeating it.
      io.err(`remote-assist relay: cannot use Redis (${e instanceof Error ? e.message : String(e)}). Check --redis or REMOTE_ASSIST_RELAY_REDIS.\n`);
      return 1;
    }
  } else {
    store = new MemoryPairingStore();
    codes = new MemoryCodeStore();
  }

  let server: RelayServer;
  try {
    server = await startRelayServer({ host, port, store, codes, limits, log, trustedProxies, ...(turn ? { turn } : {}) });
  } catch (e) {
    await store.close();
    await codes.close();
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
        await codes.close();
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
