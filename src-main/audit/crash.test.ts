import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { listSessions, readEvents } from './log-reader';
import { verifyLog } from './verify';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-crash-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/**
 * The child: records events as fast as it can and prints each seq once `record()` has returned
 * (so it is on disk). In `midwrite` mode its 6th write puts half a line on disk and then the
 * process SIGKILLs itself, as a power cut in the middle of a write would.
 */
const CHILD = `
import { AuditLogService } from ${JSON.stringify(pathToFileURL(path.join(here, 'audit-log.ts')).href)};
import { nodeLogFileIO } from ${JSON.stringify(pathToFileURL(path.join(here, 'log-file-writer.ts')).href)};
const [dir, mode] = process.argv.slice(2);
let writes = 0;
const io = {
  ...nodeLogFileIO,
  write(fd, data) {
    if (mode === 'midwrite' && ++writes === 6) {
      nodeLogFileIO.write(fd, data.subarray(0, data.length >> 1));
      process.kill(process.pid, 'SIGKILL');
    }
    nodeLogFileIO.write(fd, data);
  },
};
const svc = new AuditLogService({ logsDir: dir, systemLog: { write() {} }, localUser: 'ann', io });
const log = await svc.openSession({ kind: 'invitation', role: 'requester', required: true, peerName: 'Bob' });
log.record({ type: 'session.started' });
let i = 0;
const tick = () => {
  const line = log.record({ type: 'chat.message', from: 'peer', text: 'message ' + ++i });
  process.stdout.write(line.seq + '\\n');
  setImmediate(tick);
};
tick();
`;

/** Runs the child until it has acknowledged `killAfter` events (then SIGKILLs it) or dies by itself. */
function runChild(dir: string, mode: 'kill' | 'midwrite', killAfter = 40): Promise<{ acked: number; signal: NodeJS.Signals | null }> {
  const script = path.join(root, 'child.mts');
  fs.writeFileSync(script, CHILD);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir, mode], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let acked = 0;
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const l of lines) acked = Math.max(acked, Number(l));
      if (mode === 'kill' && acked >= killAfter) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.once('error', reject);
    child.once('exit', (code, signal) => (signal ? resolve({ acked, signal }) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

describe('crash safety (a real process, SIGKILLed)', () => {
  it('killed mid-session: the log is readable, holds every acknowledged event, is incomplete, and verifies', async () => {
    const dir = path.join(root, 'kill');
    const { acked, signal } = await runChild(dir, 'kill');
    expect(signal).toBe('SIGKILL');
    const [file] = fs.readdirSync(dir).map((f) => path.join(dir, f));
    const page = await readEvents(file!, { limit: 10_000 });
    const lastSeq = page.events.at(-1)!.seq;
    // Everything the child saw `record()` return is on disk; at most the one in flight is missing.
    expect(lastSeq).toBeGreaterThanOrEqual(acked);
    expect(page.events.map((e) => e.seq)).toEqual(Array.from({ length: lastSeq - 1 }, (_, i) => i + 2));
    const v = await verifyLog(file!);
    if (page.truncatedTail) expect(v).toMatchObject({ ok: false, problem: 'truncated', firstBadLine: lastSeq + 1 });
    else expect(v).toEqual({ ok: true, lines: lastSeq, ended: false, head: page.events.at(-1)!.hash });
    expect((await listSessions(dir))[0]).toMatchObject({ outcome: 'incomplete', eventCount: lastSeq - 1, peerName: 'Bob' });
  });

  it('killed in the middle of writing a line: everything before it reads back, the tail is reported precisely', async () => {
    const dir = path.join(root, 'midwrite');
    const { acked, signal } = await runChild(dir, 'midwrite');
    expect(signal).toBe('SIGKILL');
    const [file] = fs.readdirSync(dir).map((f) => path.join(dir, f));
    // Writes: header, session.started, messages 1–3 (seq 3–5), then seq 6 is cut in half.
    expect(acked).toBe(5);
    const page = await readEvents(file!);
    expect(page.truncatedTail).toBe(true);
    expect(page.events.map((e) => e.seq)).toEqual([2, 3, 4, 5]);
    expect(await verifyLog(file!)).toMatchObject({ ok: false, firstBadLine: 6, problem: 'truncated', detail: expect.stringContaining('Lines 1–5 are intact') });
    expect((await listSessions(dir))[0]).toMatchObject({ outcome: 'incomplete', eventCount: 4 });
  });
});
