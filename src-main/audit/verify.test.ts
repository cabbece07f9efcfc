import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySystemLog } from '../platform/system-log/system-log-port';
import { chainHash, withoutHash } from './audit-chain';
import { AuditLogService } from './audit-log';
import { SAMPLE_EVENTS } from './audit-samples';
import { nodeLogFileIO } from './log-file-writer';
import { verifyLog, type VerifyResult } from './verify';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-verify-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A genuine log: header + 8 events ending with session.ended (9 lines). */
let genuine: string[];
beforeAll(async () => {
  const svc = new AuditLogService({ logsDir: root, systemLog: createMemorySystemLog(), localUser: 'ann', io: { ...nodeLogFileIO, sync: () => {} } });
  const log = await svc.openSession({ kind: 'offer', role: 'helper', required: true, peerName: 'Ann' });
  for (const e of ['connection.attempt', 'consent.asked', 'consent.granted', 'session.started', 'chat.message', 'control.revoked', 'file.completed', 'session.ended'] as const) log.record(SAMPLE_EVENTS[e]);
  genuine = fs.readFileSync(log.file!, 'utf8').split('\n').slice(0, -1);
});

function write(content: string | Uint8Array): string {
  const f = path.join(root, `case${++n}.jsonl`);
  fs.writeFileSync(f, content);
  return f;
}
const fileOf = (lines: string[]) => write(lines.map((l) => l + '\n').join(''));
const bad = (firstBadLine: number, problem: string) => expect.objectContaining({ ok: false, firstBadLine, problem });

/** Every leaf path of a line: ['seq'], ['event', 'text'] … */
function leaves(o: Record<string, unknown>, prefix: string[] = []): string[][] {
  return Object.entries(o).flatMap(([k, v]) => (v !== null && typeof v === 'object' ? leaves(v as Record<string, unknown>, [...prefix, k]) : [[...prefix, k]]));
}
function edit(o: Record<string, unknown>, p: string[]): void {
  const parent = p.slice(0, -1).reduce((acc, k) => acc[k] as Record<string, unknown>, o);
  const k = p.at(-1)!;
  const v = parent[k];
  parent[k] = typeof v === 'number' ? v + 1 : typeof v === 'boolean' ? !v : typeof v === 'string' ? `${v}x` : 'x';
}

describe('verifyLog', () => {
  it('passes a genuine log and returns its head hash', async () => {
    const r = await verifyLog(fileOf(genuine));
    expect(r).toEqual({ ok: true, lines: 9, ended: true, head: JSON.parse(genuine[8]!).hash });
  });

  it('editing any field of any line (the hash left as it was) is "altered" at that line', async () => {
    let cases = 0;
    for (let i = 0; i < genuine.length; i++) {
      for (const p of leaves(JSON.parse(genuine[i]!))) {
        const line = JSON.parse(genuine[i]!);
        edit(line, p);
        const lines = [...genuine];
        lines[i] = JSON.stringify(line);
        expect({ p, r: await verifyLog(fileOf(lines)) }).toEqual({ p, r: bad(i + 1, 'altered') });
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(100);
  });

  it('a removed line is "removed" at its place; the header too', async () => {
    for (let i = 0; i < genuine.length - 1; i++) {
      expect(await verifyLog(fileOf(genuine.filter((_, j) => j !== i)))).toEqual(bad(i + 1, 'removed'));
    }
    expect(await verifyLog(fileOf(genuine.filter((_, j) => j !== 2 && j !== 3)))).toEqual({ ok: false, firstBadLine: 3, problem: 'removed', detail: 'lines 3–4 were removed' });
  });

  it('removing the last lines looks like a crash: intact but not ended (the system log head tells)', async () => {
    expect(await verifyLog(fileOf(genuine.slice(0, -1)))).toMatchObject({ ok: true, lines: 8, ended: false });
  });

  it('two swapped lines are "reordered" at the first of them', async () => {
    for (let i = 0; i < genuine.length - 1; i++) {
      const lines = [...genuine];
      [lines[i], lines[i + 1]] = [lines[i + 1]!, lines[i]!];
      expect(await verifyLog(fileOf(lines))).toEqual(bad(i + 1, 'reordered'));
    }
    const moved = [...genuine];
    moved.splice(6, 0, moved.splice(2, 1)[0]!); // line 3 moved down after line 7
    expect(await verifyLog(fileOf(moved))).toEqual(bad(3, 'reordered'));
  });

  it('forged and inserted lines are caught', async () => {
    const last = JSON.parse(genuine.at(-1)!);
    // Appended after the end, even with a correctly computed hash.
    const forged = withoutHash({ ...last, seq: 10, event: { type: 'note', text: 'I never did that' } });
    const chained = JSON.stringify({ ...forged, hash: chainHash(last.hash, forged) });
    expect(await verifyLog(fileOf([...genuine, chained]))).toEqual(bad(10, 'inserted'));
    expect(await verifyLog(fileOf([...genuine, JSON.stringify({ ...forged, hash: 'f'.repeat(64) })]))).toEqual(bad(10, 'inserted'));
    // Inserted in the middle without renumbering: the real line follows with the same number.
    const mid = JSON.parse(genuine[4]!);
    const lines = [...genuine];
    lines.splice(4, 0, JSON.stringify({ ...mid, event: { type: 'chat.message', from: 'local', text: 'forged' } }));
    expect(await verifyLog(fileOf(lines))).toEqual(bad(5, 'inserted'));
    // A copy of an earlier line.
    const copied = [...genuine.slice(0, 6), genuine[2]!, ...genuine.slice(6)];
    expect(await verifyLog(fileOf(copied))).toEqual(bad(7, 'inserted'));
    // Appended to an unfinished log with a made-up hash: the last line does not chain.
    expect(await verifyLog(fileOf([...genuine.slice(0, 8), JSON.stringify({ ...forged, seq: 9, hash: 'a'.repeat(64) })]))).toEqual(bad(9, 'altered'));
  });

  it('a line cut short at the end is "truncated" and says the rest is intact; elsewhere it is "malformed"', async () => {
    const text = genuine.map((l) => l + '\n').join('');
    const cut = text.slice(0, text.length - 40);
    expect(await verifyLog(write(cut))).toEqual({ ok: false, firstBadLine: 9, problem: 'truncated', detail: expect.stringContaining('Lines 1–8 are intact') });
    expect(await verifyLog(fileOf([...genuine.slice(0, 3), 'garbage', ...genuine.slice(3)]))).toEqual(bad(4, 'malformed'));
    expect(await verifyLog(fileOf([...genuine.slice(0, 3), '', ...genuine.slice(3)]))).toEqual(bad(4, 'malformed'));
    expect(await verifyLog(write(''))).toEqual(bad(1, 'malformed'));
    expect(await verifyLog(fileOf(['{"seq":1,"hash":"x","event":{"type":"note"}}']))).toEqual(bad(1, 'malformed'));
    // The last line intact but without its newline (an editor stripped it): still fine.
    expect(await verifyLog(write(text.slice(0, -1)))).toMatchObject({ ok: true, lines: 9 });
  });

  it('an unreadable file is an AppError, not a verdict', async () => {
    await expect(verifyLog(path.join(root, 'missing.jsonl'))).rejects.toMatchObject({ code: 'not-found' });
    await expect(verifyLog(root)).rejects.toMatchObject({ code: 'io' });
  });

  it('never throws on arbitrary contents, and any changed byte of a genuine log is detected', async () => {
    const text = genuine.map((l) => l + '\n').join('');
    const results: VerifyResult[] = [];
    const jsonish = fc.oneof(fc.string({ unit: 'binary' }), fc.json(), fc.constantFrom('{"seq":1,"hash":"', '\n', '[[[[[[', '{"event":{"genesis":"'));
    await fc.assert(
      fc.asyncProperty(fc.array(jsonish, { maxLength: 8 }), async (parts) => {
        results.push(await verifyLog(write(parts.join(''))));
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(Buffer.byteLength(text) - 1), fc.integer({ min: 1, max: 255 }), async (at, delta) => {
        const bytes = Buffer.from(text);
        bytes[at] = (bytes[at]! + delta) % 256;
        // The final newline turned into other whitespace changes no content (JSON ignores it, as
        // it ignores a CRLF an editor may write): that one case may still verify.
        const trailingWhitespace = at === bytes.length - 1 && /\s/.test(String.fromCharCode(bytes[at]!));
        if (!trailingWhitespace) expect((await verifyLog(write(bytes))).ok).toBe(false);
      }),
      { numRuns: 60 },
    );
    expect(results.length).toBe(60);
    // Deep nesting must not blow the stack into an exception.
    expect((await verifyLog(write(`{"seq":1,"hash":"","event":{"genesis":"","x":${'['.repeat(50_000)}${']'.repeat(50_000)}}}\n`))).ok).toBe(false);
  });
});
