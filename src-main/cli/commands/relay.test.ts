import { afterEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../cli-command';
import { openPair, readBytes } from '../../relay/relay-test-helpers';
import { findRedisServer, startTestRedis } from '../../relay/redis/redis-test-server';
import { createRelayCommand, type RunningRelay } from './relay';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const cliIo: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), env };
  return { io: cliIo, out: () => out.join(''), err: () => err.join('') };
}

async function start(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const t = io(env);
  let running: RunningRelay | null = null;
  const cmd = createRelayCommand({ handleSignals: false, onStarted: (r) => (running = r) });
  const code = await cmd.run(argv, t.io);
  if (running) cleanups.push(() => running!.stop());
  return { code, running: running as RunningRelay | null, ...t };
}

describe('remote-assist relay', () => {
  it('starts, logs JSON lines (no pairing ids), relays a pair, and stops', async () => {
    const r = await start(['--port', '0', '--max-connections-per-ip', '5', '--idle-timeout=30']);
    expect(r.code).toBeNull(); // keeps running
    const server = r.running!.server;
    const { host, join, pairingId } = await openPair(server.url);
    host.write('ping');
    expect((await readBytes(join, 4)).toString()).toBe('ping');
    host.destroy();
    join.destroy();
    await r.running!.stop();
    const lines = r.out().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ level: 'info', event: 'relay.listening', service: 'remote-assist-relay', host: '127.0.0.1', store: 'memory' });
    expect((lines[0]!.limits as Record<string, number>).maxConnectionsPerIp).toBe(5);
    expect((lines[0]!.limits as Record<string, number>).idleTimeoutMs).toBe(30_000);
    expect(lines.map((l) => l.event)).toEqual(expect.arrayContaining(['pairing.hosted', 'pairing.joined', 'connection.closed', 'relay.stopped']));
    expect(r.out()).not.toContain(pairingId);
  });

  it('refuses bad usage with exit code 2 and says why', async () => {
    expect((await start([])).err()).toMatch(/--port is required/);
    const bad = await start(['--port', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.err()).toMatch(/--port must be a port number/);
    expect((await start(['--port', '0', '--pair-rate', '-1'])).err()).toMatch(/--pair-rate must be a positive number/);
    expect((await start(['--port', '0', '--frobnicate', '1'])).err()).toMatch(/unknown option "--frobnicate"/);
    const help = await start(['--help']);
    expect(help.code).toBe(0);
    expect(help.out()).toMatch(/--redis URL/);
  });

  it('fails with exit code 1, without echoing the password, when Redis is unreachable', async () => {
    const r = await start(['--port', '0'], { REMOTE_ASSIST_RELAY_REDIS: 'redis://:hunter2-secret@127.0.0.1:1' });
    expect(r.code).toBe(1);
    expect(r.err()).toMatch(/cannot use Redis \(cannot connect to Redis at 127\.0\.0\.1:1 \(ECONNREFUSED\)\)/);
    expect(r.err()).not.toContain('hunter2');
  });

  it.skipIf(!findRedisServer())('uses Redis when given --redis', async () => {
    const redis = await startTestRedis();
    cleanups.push(() => redis.stop());
    const r = await start(['--port', '0', '--redis', redis.url]);
    expect(r.running!.server.health()).toMatchObject({ store: 'redis', storeHealthy: true, status: 'ok' });
  });

  it('mints TURN credentials with the secret from the environment, never logging it; refuses half a TURN setup', async () => {
    const r = await start(['--port', '0', '--turn-url', 'turn:127.0.0.1:3478?transport=udp', '--turn-ttl', '600'], { REMOTE_ASSIST_RELAY_TURN_SECRET: 'coturn-shared-secret' });
    expect(r.code).toBeNull();
    const { host, join } = await openPair(r.running!.server.url);
    expect(join.iceServers[0]).toMatchObject({ urls: ['turn:127.0.0.1:3478?transport=udp'] });
    expect(host.iceServers[0]!.username).toMatch(/^\d+:ra-[0-9a-f]{12}$/);
    host.destroy();
    join.destroy();
    await r.running!.stop();
    expect(r.out()).toContain('"turn":{"urls":["turn:127.0.0.1:3478?transport=udp"],"ttlSeconds":600}');
    expect(r.out()).not.toContain('coturn-shared-secret');
    expect((await start(['--port', '0', '--turn-url', 'turn:x'])).err()).toMatch(/--turn-url needs the TURN secret/);
    expect((await start(['--port', '0', '--turn-url', 'http://x'], { REMOTE_ASSIST_RELAY_TURN_SECRET: 's' })).err()).toMatch(/is not a turn: or turns: URL/);
    expect((await start(['--port', '0'], { REMOTE_ASSIST_RELAY_TURN_SECRET: 's' })).err()).toMatch(/no --turn-url/);
  });
});
