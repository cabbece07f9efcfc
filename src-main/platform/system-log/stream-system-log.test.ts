import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../app-logger';
import { createSpawnRunner } from './command-runner';
import { selectSystemLog, type FlushableSystemLog } from './select-system-log';
import { StreamSystemLog } from './stream-system-log';
import { loggerStreamArgv, toLoggerLine } from './system-log-adapters';
import { createMemorySystemLog, type SystemLogLevel } from './system-log-port';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-syslog-stream-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const open: FlushableSystemLog[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});
let n = 0;

type Record = { pid: number; argv?: string[]; line?: string };

/**
 * A stand-in `logger` (a real process, as the real one is): it records its argv, then every line
 * it reads from stdin, as JSON lines in a file. `behaviour` changes what it does after starting.
 */
function fakeLogger(behaviour: 'read' | 'fail' | 'exit-after-one' | 'never-read' = 'read'): { command: string; records: () => Record[] } {
  const dir = path.join(root, `bin-${++n}`);
  fs.mkdirSync(dir);
  const out = path.join(dir, 'records.jsonl');
  const command = path.join(dir, 'logger');
  const script = `#!${process.execPath}
const fs = require('node:fs');
const put = (o) => fs.appendFileSync(${JSON.stringify(out)}, JSON.stringify({ pid: process.pid, ...o }) + '\\n');
put({ argv: process.argv.slice(2) });
const behaviour = ${JSON.stringify(behaviour)};
if (behaviour === 'fail') { process.stderr.write('logger: socket /dev/log: Permission denied\\n'); process.exit(1); }
if (behaviour === 'never-read') { setInterval(() => {}, 1000); return; }
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  put({ line });
  if (behaviour === 'exit-after-one') process.exit(0);
});
`;
  fs.writeFileSync(command, script, { mode: 0o755 });
  const records = () => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record) : []);
  return { command, records };
}

function linux(command: string, fallbackFile?: string) {
  const logger = createMemoryLogger();
  const log = selectSystemLog('linux', createSpawnRunner(), { loggerCommand: command, logger, fallbackFile: fallbackFile ?? path.join(root, `fallback-${++n}.jsonl`) });
  open.push(log);
  return { log, logger };
}

async function until(pred: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const tricky = `Bob "the helper"\nuser=root <11>fake`;

describe('StreamSystemLog through a stand-in logger', () => {
  it.each(['linux', 'darwin'] as const)('%s: one long-lived child per level, exact argv, every entry one line, in order', async (platform) => {
    const fake = fakeLogger();
    const logger = createMemoryLogger();
    const log = selectSystemLog(platform, createSpawnRunner(), { loggerCommand: fake.command, logger, fallbackFile: path.join(root, `fb-${++n}.jsonl`) });
    open.push(log);
    for (let i = 0; i < 20; i++) log.write('info', `entry ${i}`, { i });
    log.write('warning', 'two');
    log.write('error', tricky);
    log.write('info', 'last', { peer: 'Bob "x"' });
    await log.close();

    const records = fake.records();
    const started = records.filter((r) => r.argv);
    // Three processes for 23 entries: one per level, not one per entry.
    expect(started.map((r) => r.argv).sort()).toEqual([loggerStreamArgv('error'), loggerStreamArgv('info'), loggerStreamArgv('warning')].sort());
    const pidOf = (level: SystemLogLevel) => started.find((r) => r.argv!.join(' ') === loggerStreamArgv(level).join(' '))!.pid;
    const linesOf = (level: SystemLogLevel) => records.filter((r) => r.line !== undefined && r.pid === pidOf(level)).map((r) => r.line);
    expect(linesOf('info')).toEqual([...Array.from({ length: 20 }, (_, i) => `entry ${i} i=${i}`), 'last peer="Bob \\"x\\""']);
    expect(linesOf('warning')).toEqual(['two']);
    // The newline could have started a forged entry; it arrives escaped, in the one line.
    expect(linesOf('error')).toEqual([toLoggerLine(tricky)]);
    expect(linesOf('error')[0]).toContain('\\nuser=root');
    expect(logger.entries).toEqual([]);
    // close() ended every child.
    for (const r of started) expect(alive(r.pid)).toBe(false);
  });

  it('restarts a child that was killed, and goes on logging through the new one', async () => {
    const fake = fakeLogger();
    const { log, logger } = linux(fake.command);
    log.write('info', 'before');
    await until(() => fake.records().some((r) => r.line === 'before'), 'the first entry');
    const first = fake.records().find((r) => r.argv)!.pid;
    process.kill(first, 'SIGKILL');
    await until(() => !alive(first), 'the child to die');
    // Entries written while main has not yet seen the exit may be lost with the old pipe; keep
    // writing until one arrives through a new child.
    for (let i = 0; i < 100 && !fake.records().some((r) => r.line?.startsWith('after') && r.pid !== first); i++) {
      log.write('info', `after ${i}`);
      await log.idle();
      await new Promise((r) => setTimeout(r, 20));
    }
    const second = fake.records().filter((r) => r.argv && r.pid !== first);
    expect(second).toHaveLength(1);
    expect(second[0]!.argv).toEqual(loggerStreamArgv('info'));
    expect(fake.records().some((r) => r.pid === second[0]!.pid && r.line?.startsWith('after'))).toBe(true);
    expect(logger.entries).toEqual([]);
  });

  it('a logger that exits with an error: falls back for good (the entries it was given too) and says so once, with its message', async () => {
    const fake = fakeLogger('fail');
    const file = path.join(root, 'fail-fallback.jsonl');
    const { log, logger } = linux(fake.command, file);
    log.write('info', 'one');
    await until(() => logger.entries.length > 0, 'the warning');
    log.write('info', 'two');
    log.write('error', 'three');
    await log.idle();
    expect(logger.entries.map((e) => e.message)).toEqual([
      `The system log is unavailable (\`${fake.command}\` exited with 1: logger: socket /dev/log: Permission denied); key audit events go to ${file} instead.`,
    ]);
    const fallback = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { message: string }).message);
    expect(fallback).toEqual(['one', 'two', 'three']);
    // No new process per entry once it gave up.
    expect(fake.records().filter((r) => r.argv)).toHaveLength(1);
  });

  it('a logger that keeps stopping is restarted a few times, then given up on', async () => {
    const fake = fakeLogger('exit-after-one');
    const { log, logger } = linux(fake.command);
    for (let i = 0; i < 40 && logger.entries.length === 0; i++) {
      log.write('info', `e${i}`);
      await log.idle();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(logger.entries.map((e) => e.message)).toEqual([expect.stringContaining('keeps stopping (last exited with 0)')]);
    expect(fake.records().filter((r) => r.argv).length).toBe(3);
  });

  it('a logger that stops reading never blocks main: the overflow goes to the fallback', async () => {
    const fake = fakeLogger('never-read');
    const file = path.join(root, 'stuck-fallback.jsonl');
    const { log } = linux(fake.command, file);
    log.write('info', 'first');
    await until(() => fake.records().length === 1, 'the child to start');
    // ~600 KB: far more than a pipe (64 KiB) plus what main lets a child hold in its buffer.
    const big = 'x'.repeat(600);
    for (let i = 0; i < 1000; i++) log.write('info', big, { i });
    const diverted = fs.readFileSync(file, 'utf8').trim().split('\n').length;
    expect(diverted).toBeGreaterThan(500);
    expect(diverted).toBeLessThan(1000);
    // It would not notice the end of its input either.
    process.kill(fake.records()[0]!.pid, 'SIGKILL');
  });
});

describe('StreamSystemLog with the real logger binary', () => {
  const real = spawnSync('logger', ['--help'], { encoding: 'utf8' });
  // util-linux's logger can write to a socket we own (-u, --tcp: newline-framed); other loggers cannot.
  const usable = real.status === 0 && real.stdout.includes('--socket');
  if (!usable) console.log('skipping the real-logger test: no util-linux `logger` on this machine');
  it.skipIf(!usable)('logs each stdin line as one entry at the level of its child', async () => {
    const sock = path.join(root, 'syslog.sock');
    let received = '';
    const server = net.createServer((s) => s.on('data', (d) => (received += d.toString('utf8'))));
    await new Promise<void>((r) => server.listen(sock, r));
    const fallback = createMemorySystemLog();
    const warnings: string[] = [];
    const log = new StreamSystemLog({
      command: 'logger',
      argv: (level) => [...loggerStreamArgv(level), '--socket', sock, '--tcp'],
      toLine: toLoggerLine,
      fallback,
      onUnavailable: (r) => warnings.push(r),
    });
    log.write('info', 'Session started', { peer: 'Bob' });
    log.write('warning', 'Password failed', { attemptsLeft: 4 });
    log.write('error', tricky);
    log.write('info', 'Session ended');
    await log.close();
    // A logger may have connected, written and exited before this process accepted its connection;
    // closing the server then would drop it (a real syslog daemon keeps listening), so wait for all four.
    const deadline = Date.now() + 5_000;
    while (received.trim().split('\n').length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise<void>((r) => server.close(() => r()));
    const lines = received.trim().split('\n');
    // <PRI> = facility user (1) × 8 + severity: info 6, warning 4, err 3.
    const entries = lines.map((l) => /^<(\d+)>.*? remote-assist: (.*)$/.exec(l)!.slice(1));
    expect(entries.sort()).toEqual(
      [
        ['11', toLoggerLine(tricky)],
        ['12', 'Password failed attemptsLeft=4'],
        ['14', 'Session ended'],
        ['14', 'Session started peer=Bob'],
      ].sort(),
    );
    expect(warnings).toEqual([]);
    expect(fallback.entries).toEqual([]);
  });
});
