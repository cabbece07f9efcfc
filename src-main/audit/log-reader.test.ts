import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySystemLog } from '../platform/system-log/system-log-port';
import type { AuditEvent } from './audit-events';
import { AuditLogService } from './audit-log';
import { SAMPLE_EVENTS as S } from './audit-samples';
import { nodeLogFileIO } from './log-file-writer';
import { listSessions, readEvents, resolveLogFile, type SessionOutcome } from './log-reader';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-reader-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const fastIO = { ...nodeLogFileIO, sync: () => {} };

/** Writes one session log with the given events into `dir` (a new second for each file). */
async function writeLog(dir: string, events: AuditEvent[], peer: string | null = 'Bob'): Promise<string> {
  const start = Date.UTC(2026, 10, 25, 10, 0, 0) + ++n * 60_000;
  let t = start;
  const svc = new AuditLogService({ logsDir: dir, systemLog: createMemorySystemLog(), localUser: 'ann', io: fastIO, now: () => new Date((t += 1000)), utcOffset: () => 60 });
  const log = await svc.openSession({ kind: 'invitation', role: 'requester', required: true });
  if (peer) log.setPeer(peer, '192.0.2.10');
  for (const e of events) log.record(e);
  log.close();
  return log.file!;
}

const ended = (by: 'local' | 'peer' | 'system' = 'local'): AuditEvent => ({ type: 'session.ended', by, reason: 'r', durationMs: 42_000 });
const note = (text: string): AuditEvent => ({ type: 'note', text });

describe('listSessions', () => {
  it('summarises each session with its outcome, newest first, and ignores other files', async () => {
    const dir = path.join(root, 'outcomes');
    const cases: [SessionOutcome, AuditEvent[]][] = [
      ['ended', [S['invitation.created'], S['consent.granted'], S['session.started'], S['consent.declined'], ended()]],
      ['declined', [S['consent.asked'], { type: 'consent.declined', kind: 'view' }, ended('peer')]],
      ['declined', [S['consent.asked'], { type: 'consent.timedOut', kind: 'view' }, ended('system')]],
      ['expired', [S['invitation.created'], S['handshake.failed'], S['invitation.expired'], ended('system')]],
      ['locked', [S['invitation.created'], S['password.failed'], S['invitation.locked'], ended('system')]],
      ['cancelled', [S['invitation.created'], S['invitation.cancelled'], ended()]],
      ['failed', [S['connection.attempt'], S['handshake.failed'], ended('system')]],
      ['cancelled', [S['connection.attempt'], ended('peer')]],
      ['incomplete', [S['session.started'], S['chat.message']]],
    ];
    const files: string[] = [];
    for (const [, events] of cases) files.push(await writeLog(dir, events));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'x');
    new AuditLogService({ logsDir: dir, systemLog: createMemorySystemLog(), localUser: 'ann', io: fastIO }).recordStandalone(S['offer.refused']);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('listener-'))).toHaveLength(1);

    const list = await listSessions(dir);
    expect(list.map((s) => s.file)).toEqual([...files].reverse());
    expect(list.map((s) => s.outcome).reverse()).toEqual(cases.map(([o]) => o));
    const first = list.at(-1)!;
    expect(first).toMatchObject({ id: path.basename(files[0]!, '.jsonl'), kind: 'invitation', role: 'requester', peerName: 'Bob', peerAddress: '192.0.2.10', durationMs: 42_000, eventCount: 5, problem: null });
    expect(first.startedAt).toMatch(/^2026-11-25T11:01:01\.000\+01:00$/);
    expect(list[0]).toMatchObject({ outcome: 'incomplete', eventCount: 2, durationMs: 2000 });
  });

  it('is an empty list for a missing folder, and flags files it cannot summarise', async () => {
    expect(await listSessions(path.join(root, 'nope'))).toEqual([]);
    const dir = path.join(root, 'broken');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '20260101000000.jsonl'), '');
    fs.writeFileSync(path.join(dir, '20260101000001.jsonl'), 'not json\n');
    expect((await listSessions(dir)).map((s) => s.problem)).toEqual(['the first line is not a log header', 'the file is empty']);
  });

  it('finds a cause far from both ends of a long log (reads the whole file only then)', async () => {
    const dir = path.join(root, 'far');
    const pad = 'p'.repeat(400);
    const events = [...Array.from({ length: 200 }, () => note(pad)), S['handshake.failed'], ...Array.from({ length: 200 }, () => note(pad)), ended('peer')];
    await writeLog(dir, events);
    expect((await listSessions(dir))[0]).toMatchObject({ outcome: 'failed', eventCount: 402 });
  });

  it('lists 1000 logs correctly', async () => {
    const dir = path.join(root, 'many');
    const one = await writeLog(dir, [S['session.started'], ended()]);
    for (let i = 1; i < 1000; i++) fs.copyFileSync(one, path.join(dir, `2025${String(i).padStart(10, '0')}.jsonl`));
    const list = await listSessions(dir);
    expect(list).toHaveLength(1000);
    expect(list.every((s) => s.outcome === 'ended' && s.eventCount === 2 && s.problem === null)).toBe(true);
  });
});

describe('readEvents', () => {
  let big: string;
  beforeAll(async () => {
    // 100 000 events: a file.completed every 1000th, one message that a search should find.
    const events: AuditEvent[] = [S['session.started']];
    for (let i = 1; i < 99_999; i++) {
      events.push(i % 1000 === 0 ? S['file.completed'] : { type: 'chat.message', from: i % 2 ? 'peer' : 'local', text: i === 54_321 ? 'the NEEDLE is here' : `message ${i}` });
    }
    events.push(ended());
    big = await writeLog(path.join(root, 'big'), events);
  }, 30_000);

  it('pages a 100 000-event log by offset and limit', async () => {
    const first = await readEvents(big, { offset: 0, limit: 100 });
    expect(first.total).toBe(100_000);
    expect(first.header?.event.type).toBe('log.header');
    expect(first.events.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
    for (const offset of [1, 777, 54_000, 99_990]) {
      const page = await readEvents(big, { offset, limit: 25 });
      expect(page.events.map((e) => e.seq)).toEqual(Array.from({ length: Math.min(25, 100_000 - offset) }, (_, i) => offset + i + 2));
    }
    const last = await readEvents(big, { offset: 99_999, limit: 10 });
    expect(last.events.map((e) => e.event.type)).toEqual(['session.ended']);
    expect((await readEvents(big, { offset: 100_000 })).events).toEqual([]);
    expect((await listSessions(path.dirname(big)))[0]).toMatchObject({ eventCount: 100_000, outcome: 'ended' });
  });

  it('filters by type and by text, with paging over the matches', async () => {
    const files = await readEvents(big, { types: ['file.completed'], limit: 10, offset: 5 });
    expect(files.total).toBe(99);
    expect(files.events.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => (i + 6) * 1000 + 2));
    const found = await readEvents(big, { search: 'needle' });
    expect(found.total).toBe(1);
    expect(found.events[0]).toMatchObject({ seq: 54_323, event: { text: 'the NEEDLE is here' } });
    expect((await readEvents(big, { search: 'needle', types: ['note'] })).total).toBe(0);
  });

  it('returns everything before a truncated last line and says so; skips malformed lines', async () => {
    const dir = path.join(root, 'crashed');
    const file = await writeLog(dir, [S['session.started'], S['chat.message'], S['control.granted']]);
    fs.appendFileSync(file, '{"v":1,"seq":5,"time":"2026-11-25T1');
    const page = await readEvents(file);
    expect(page.truncatedTail).toBe(true);
    expect(page.events.map((e) => e.event.type)).toEqual(['session.started', 'chat.message', 'control.granted']);
    expect((await listSessions(dir))[0]).toMatchObject({ outcome: 'incomplete', eventCount: 3 });

    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.splice(2, 0, 'garbage');
    fs.writeFileSync(file, lines.join('\n'));
    const again = await readEvents(file);
    expect(again.malformedLines).toEqual([3]);
    expect(again.events).toHaveLength(3);
  });

  it('sees new events of a live log (the index is extended, not stale)', async () => {
    const dir = path.join(root, 'live');
    const svc = new AuditLogService({ logsDir: dir, systemLog: createMemorySystemLog(), localUser: 'ann', io: fastIO });
    const log = await svc.openSession({ kind: 'offer', role: 'helper', required: true });
    log.record(S['session.started']);
    expect((await readEvents(log.file!)).total).toBe(1);
    log.record(S['chat.message']);
    log.record(S['control.requested']);
    const page = await readEvents(log.file!, { offset: 1 });
    expect(page.total).toBe(3);
    expect(page.events.map((e) => e.event.type)).toEqual(['chat.message', 'control.requested']);
    const [a, b] = await Promise.all([readEvents(log.file!), readEvents(log.file!)]);
    expect(a.total).toBe(3);
    expect(b.total).toBe(3);
  });

  it('resolveLogFile finds a log by id, session id or path', async () => {
    const dir = path.join(root, 'resolve');
    const file = await writeLog(dir, [S['session.started']]);
    const sessionId = (await readEvents(file)).header!.sessionId;
    expect(await resolveLogFile(dir, path.basename(file, '.jsonl'))).toBe(file);
    expect(await resolveLogFile(dir, sessionId)).toBe(file);
    expect(await resolveLogFile(root, file)).toBe(file);
    await expect(resolveLogFile(dir, 'nope')).rejects.toMatchObject({ code: 'not-found' });
  });
});
