import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../app-logger';
import { createSpawnRunner, type CommandRunner } from './command-runner';
import { FileSystemLog } from './file-system-log';
import { selectSystemLog } from './select-system-log';
import { eventcreateArgv, loggerStreamArgv, MAX_LOGGER_LINE_BYTES, toLoggerLine } from './system-log-adapters';
import { formatSystemLogText } from './system-log-port';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-syslog-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const tmp = (name: string) => path.join(root, `${++n}-${name}`);

const tricky = `Bob "the helper" O'Neil; rm -rf / $(whoami) \`id\` %s\nsecond line\t-x`;

/** A runner that records calls; `answer` decides each result. */
function fakeRunner(answer: (cmd: string, args: readonly string[], i: number) => Promise<{ code: number | null; stderr: string }> = async () => ({ code: 0, stderr: '' })) {
  const calls: { cmd: string; args: string[] }[] = [];
  const runner: CommandRunner = (cmd, args) => {
    calls.push({ cmd, args: [...args] });
    return answer(cmd, args, calls.length - 1);
  };
  return { runner, calls };
}
const lines = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('argv construction', () => {
  it('logger: tag and facility.priority, no message (entries arrive on stdin, so no text is ever an option)', () => {
    expect(loggerStreamArgv('info')).toEqual(['-t', 'remote-assist', '-p', 'user.info']);
    expect(loggerStreamArgv('warning')).toEqual(['-t', 'remote-assist', '-p', 'user.warning']);
    expect(loggerStreamArgv('error')).toEqual(['-t', 'remote-assist', '-p', 'user.err']);
  });

  it('logger lines: one line per entry whatever the text holds, cut below logger\'s 1 KiB buffer', () => {
    expect(toLoggerLine(tricky)).toBe(`Bob "the helper" O'Neil; rm -rf / $(whoami) \`id\` %s\\nsecond line\\t-x`);
    expect(toLoggerLine('a\r\nb\u001b[31m\u2028c\u0085')).toBe('a\\r\\nb\\u001b[31m\\u2028c\\u0085');
    expect(toLoggerLine('<11>forged priority')).toBe('<11>forged priority');
    const long = toLoggerLine('é'.repeat(2000));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(MAX_LOGGER_LINE_BYTES);
    expect(long).toMatch(/^é+ …$/);
    expect(toLoggerLine('x'.repeat(MAX_LOGGER_LINE_BYTES))).toBe('x'.repeat(MAX_LOGGER_LINE_BYTES));
  });

  it('eventcreate: Application log, source, type, id and the description as ONE argument', () => {
    expect(eventcreateArgv('info', tricky)).toEqual(['/L', 'APPLICATION', '/SO', 'Remote Assist', '/T', 'INFORMATION', '/ID', '1', '/D', tricky]);
    expect(eventcreateArgv('warning', '/T ERROR')).toEqual(['/L', 'APPLICATION', '/SO', 'Remote Assist', '/T', 'WARNING', '/ID', '1', '/D', '/T ERROR']);
    expect(eventcreateArgv('error', '')).toEqual(['/L', 'APPLICATION', '/SO', 'Remote Assist', '/T', 'ERROR', '/ID', '1', '/D', '(empty)']);
    expect(eventcreateArgv('info', 'x'.repeat(20_000)).at(-1)!.length).toBeLessThan(8100);
  });

  it('fields are appended as key=value, quoted when they could fake a field or an entry', () => {
    expect(formatSystemLogText('Session started', { session: 'a-1', peer: 'Bob "x"\nuser=root', seq: 3, none: undefined, n: null })).toBe(
      'Session started session=a-1 peer="Bob \\"x\\"\\nuser=root" seq=3 n=null',
    );
  });

  it('the spawn runner passes argv exactly, with no shell in between', async () => {
    const run = createSpawnRunner();
    const args = ['-e', 'process.stderr.write(JSON.stringify(process.argv.slice(1)))', '--', tricky, '$HOME', '*'];
    const res = await run(process.execPath, args);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stderr)).toEqual([tricky, '$HOME', '*']);
    await expect(run('/nonexistent/remote-assist-logger', [])).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('selectSystemLog', () => {
  it.each([['win32', 'eventcreate']] as const)('%s writes through %s, one entry at a time and in order', async (platform, cmd) => {
    // Later calls answer faster: run side by side they would land out of order.
    const finished: number[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const { runner, calls } = fakeRunner(async (_c, _a, i) => {
      mostAtOnce = Math.max(mostAtOnce, ++running);
      await new Promise((r) => setTimeout(r, 15 - i * 5));
      running--;
      finished.push(i);
      return { code: 0, stderr: '' };
    });
    const logger = createMemoryLogger();
    const log = selectSystemLog(platform, runner, { fallbackFile: tmp('fallback.jsonl'), logger });
    log.write('info', 'one', { seq: 1 });
    log.write('warning', 'two');
    log.write('error', tricky);
    await log.idle();
    expect(calls.map((c) => c.cmd)).toEqual([cmd, cmd, cmd]);
    expect(calls.map((c) => c.args)).toEqual([eventcreateArgv('info', 'one seq=1'), eventcreateArgv('warning', 'two'), eventcreateArgv('error', tricky)]);
    expect(finished).toEqual([0, 1, 2]);
    expect(mostAtOnce).toBe(1);
    expect(logger.entries).toEqual([]);
  });

  it('a missing logger: says so ONCE, and every entry goes to the fallback file instead', async () => {
    const { runner, calls } = fakeRunner();
    const logger = createMemoryLogger();
    const file = tmp('fallback.jsonl');
    const missing = path.join(root, 'no-such-dir', 'logger');
    const log = selectSystemLog('linux', runner, { fallbackFile: file, logger, loggerCommand: missing });
    for (let i = 0; i < 5; i++) log.write('info', `entry ${i}`, { i });
    await log.idle();
    expect(calls).toHaveLength(0);
    expect(logger.entries).toEqual([{ level: 'warn', message: `The system log is unavailable (\`${missing}\` is not installed); key audit events go to ${file} instead.`, fields: undefined }]);
    expect(lines(file).map((l) => [l.message, l.i, l.level])).toEqual([0, 1, 2, 3, 4].map((i) => [`entry ${i}`, i, 'info']));
  });

  it('eventcreate failing (e.g. the source is not registered): falls back, says so once', async () => {
    const { runner } = fakeRunner(async () => ({ code: 1, stderr: 'ERROR: Access is denied.\r\n' }));
    const logger = createMemoryLogger();
    const file = tmp('fallback.jsonl');
    const log = selectSystemLog('win32', runner, { fallbackFile: file, logger });
    log.write('info', 'a');
    log.write('info', 'b');
    await log.idle();
    expect(logger.entries).toHaveLength(1);
    expect(logger.entries[0]!.message).toContain('`eventcreate` exited with 1: ERROR: Access is denied.');
    expect(lines(file).map((l) => l.message)).toEqual(['a', 'b']);
  });

  it('an unsupported platform, or no fallback either: one warning, no throw', () => {
    const logger = createMemoryLogger();
    const file = tmp('fallback.jsonl');
    const log = selectSystemLog('aix', fakeRunner().runner, { fallbackFile: file, logger });
    log.write('info', 'x');
    log.write('info', 'y');
    expect(logger.entries.map((e) => e.message)).toEqual([`The system log is unavailable (no system log adapter for aix); key audit events go to ${file} instead.`]);
    expect(lines(file)).toHaveLength(2);

    const quiet = createMemoryLogger();
    const none = selectSystemLog('sunos', fakeRunner().runner, { logger: quiet });
    expect(() => none.write('error', 'dropped')).not.toThrow();
    expect(quiet.entries.map((e) => e.message)).toEqual(['The system log is unavailable (no system log adapter for sunos); key audit events are kept only in the session log files.']);
  });
});

describe('FileSystemLog', () => {
  it('appends JSON lines; fields cannot overwrite time, level or message', () => {
    const file = tmp('sys.jsonl');
    const log = new FileSystemLog(file, undefined, () => new Date(Date.UTC(2026, 0, 1)));
    log.write('warning', 'hello', { message: 'forged', peer: 'x' });
    expect(lines(file)).toEqual([{ peer: 'x', time: '2026-01-01T00:00:00.000Z', level: 'warning', message: 'hello' }]);
  });

  it('reports an unwritable file once and then drops entries without throwing', () => {
    const parent = tmp('a-file');
    fs.writeFileSync(parent, '');
    const failures: string[] = [];
    const log = new FileSystemLog(path.join(parent, 'sys.jsonl'), (r) => failures.push(r));
    log.write('info', 'a');
    log.write('info', 'b');
    expect(failures).toHaveLength(1);
  });
});
