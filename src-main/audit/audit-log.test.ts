import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { isAppError, type AppError } from '../../src-shared/contract/errors';
import { createMemorySystemLog } from '../platform/system-log/system-log-port';
import { AUDIT_EVENT_TYPES, StoredLine } from './audit-events';
import { AuditLogService, type OpenSessionOptions } from './audit-log';
import { SAMPLE_EVENTS, sampleEventList } from './audit-samples';
import { nodeLogFileIO, type LogFileIO } from './log-file-writer';
import { readEvents } from './log-reader';
import { verifyLog } from './verify';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-audit-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const tempDir = () => path.join(root, `t${++n}`, 'Remote Assistance Logs');

/** A fixed clock: 2026-11-25 13:03:07.123 UTC, shown at +01:00, advancing 1 s per call. */
function clock(start = Date.UTC(2026, 10, 25, 13, 3, 7, 123)) {
  let t = start;
  return () => new Date((t += 1000) - 1000);
}

/** The real file operations without fsync, for tests that write many lines. */
const fastIO: LogFileIO = { ...nodeLogFileIO, sync: () => {} };

function service(over: Partial<ConstructorParameters<typeof AuditLogService>[0]> = {}) {
  const systemLog = createMemorySystemLog();
  const svc = new AuditLogService({ logsDir: tempDir(), systemLog, localUser: 'ann', appVersion: '9.9.9', now: clock(), utcOffset: () => 60, ...over });
  return { svc, systemLog };
}

const session: OpenSessionOptions = { kind: 'invitation', role: 'requester', required: true };

describe('AuditLogService.openSession / record', () => {
  it('writes a header and one chained line per event; every event type round-trips through the file', async () => {
    const { svc } = service();
    const log = await svc.openSession({ ...session, peerName: 'Bob', peerAddress: '192.0.2.10' });
    expect(log.degraded).toBeNull();
    expect(path.basename(log.file!)).toBe('20261125140307.jsonl');
    const stored = sampleEventList().map((e) => log.record(e));
    expect(stored.every((s) => s !== null)).toBe(true);

    const lines = fs.readFileSync(log.file!, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(AUDIT_EVENT_TYPES.length + 2);
    const header = JSON.parse(lines[0]!);
    expect(header).toMatchObject({ v: 1, seq: 1, time: '2026-11-25T14:03:07.123+01:00', kind: 'invitation', role: 'requester', localUser: 'ann', peerName: 'Bob' });
    expect(header.event).toMatchObject({ type: 'log.header', startedAt: '2026-11-25T14:03:07.123+01:00', utcOffset: '+01:00', appVersion: '9.9.9' });
    expect(header.event.genesis).toMatch(/^[0-9a-f]{64}$/);
    for (const l of lines.slice(0, -1)) expect(StoredLine.safeParse(JSON.parse(l)).success).toBe(true);

    const page = await readEvents(log.file!, { limit: 1000 });
    expect(page.events.map((e) => e.event)).toEqual(sampleEventList());
    expect(page.events.map((e) => e.seq)).toEqual(stored.map((s) => s!.seq));
    expect(page.events[0]).toEqual(stored[0]);
    expect(page.events[0]!.time).toBe('2026-11-25T14:03:08.123+01:00');
    expect(new Set(page.events.map((e) => e.event.type))).toEqual(new Set(AUDIT_EVENT_TYPES));
    expect(await verifyLog(log.file!)).toMatchObject({ ok: true, lines: AUDIT_EVENT_TYPES.length + 1, ended: true });
  });

  it('has a sample for every event type', () => {
    expect(Object.keys(SAMPLE_EVENTS).sort()).toEqual([...AUDIT_EVENT_TYPES].sort());
  });

  it('names files by local start time and never overwrites: -2, -3 for the same second', async () => {
    const dir = tempDir();
    const same = () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    const svc = new AuditLogService({ logsDir: dir, systemLog: createMemorySystemLog(), localUser: 'ann', now: same, utcOffset: () => -210 });
    const files = [];
    for (let i = 0; i < 3; i++) files.push((await svc.openSession(session)).file);
    expect(files.map((f) => path.basename(f!))).toEqual(['20260101233405.jsonl', '20260101233405-2.jsonl', '20260101233405-3.jsonl']);
    expect(JSON.parse(fs.readFileSync(files[0]!, 'utf8').split('\n')[0]!).time).toBe('2026-01-01T23:34:05.000-03:30');
  });

  it('rejects an event that fails the schema with invalid-input and writes nothing', async () => {
    const { svc } = service();
    const log = await svc.openSession(session);
    const before = fs.readFileSync(log.file!, 'utf8');
    expect(() => log.record({ type: 'chat.message', from: 'someone', text: 'x' } as never)).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    expect(() => log.record({ type: 'session.started', extra: 1 } as never)).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    expect(() => log.record({ type: 'file.completed', direction: 'send', name: 'a', size: 1, sha256: 'nothex' } as never)).toThrow();
    expect(fs.readFileSync(log.file!, 'utf8')).toBe(before);
  });

  it('carries the peer set later, and ends the file with session.ended', async () => {
    const { svc, systemLog } = service();
    const log = await svc.openSession(session);
    expect(log.record({ type: 'connection.attempt', peerAddress: '192.0.2.1:1' })!.peerName).toBeNull();
    log.setPeer('Bob', '192.0.2.1');
    expect(log.record({ type: 'session.started' })).toMatchObject({ peerName: 'Bob', peerAddress: '192.0.2.1' });
    log.record(SAMPLE_EVENTS['session.ended']);
    const size = fs.statSync(log.file!).size;
    expect(log.record({ type: 'note', text: 'late' })).toBeNull();
    expect(fs.statSync(log.file!).size).toBe(size);
    expect(systemLog.entries.at(-1)).toMatchObject({ level: 'warning', message: expect.stringContaining('after the session log was closed') });
    log.close();
    expect((await verifyLog(log.file!)).ok).toBe(true);
  });

  it('copies key events to the system log — never chat text — and anchors the head hash at the end', async () => {
    const { svc, systemLog } = service();
    const log = await svc.openSession({ ...session, peerName: 'Bob "the helper"\nfake=entry' });
    for (const e of sampleEventList()) log.record({ ...e, ...(e.type === 'chat.message' ? { text: 'SECRET chat' } : {}) } as typeof e);
    const messages = systemLog.entries.map((e) => e.message).join('\n');
    expect(messages).not.toContain('SECRET');
    for (const expected of ['Invitation inv-7f3a created', 'closed after 5 wrong passwords', 'Connection attempt from "192.0.2.10:50311"', 'Consent to view granted', 'Consent to control declined', 'Control granted', 'Control taken back (esc)', 'File received: "report.pdf"', 'Session started', 'Session ended by peer', 'Offer of help refused from "Mallory"']) {
      expect(messages).toContain(expected);
    }
    expect(messages).not.toMatch(/policy reloaded|Session paused/);
    const end = systemLog.entries.find((e) => e.message.includes('Session ended'))!;
    const v = await verifyLog(log.file!);
    expect(v.ok && end.fields?.head).toBe(v.ok ? v.head : 'x');
    expect(end.fields).toMatchObject({ peer: 'Bob "the helper"\nfake=entry', kind: 'invitation', role: 'requester', user: 'ann' });
  });
});

describe('when the log cannot be written', () => {
  /** A logs folder whose parent is a regular file: mkdir fails even for root. */
  function blockedDir() {
    const parent = path.join(root, `blocked${++n}`);
    fs.writeFileSync(parent, 'not a folder');
    return path.join(parent, 'Remote Assistance Logs');
  }

  it('required: throws AppError io naming the folder, creates nothing, tells the system log', async () => {
    const dir = blockedDir();
    const { svc, systemLog } = service({ logsDir: dir });
    const err = await svc.openSession(session).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAppError(err, 'io')).toBe(true);
    expect((err as AppError).message).toBe(`Your administrator requires a log of every session, and the log could not be written to ${dir}: a file is in the way of the folder. The session was not started.`);
    expect(fs.statSync(path.dirname(dir)).isFile()).toBe(true);
    expect(systemLog.entries).toEqual([expect.objectContaining({ level: 'error' })]);
  });

  it('not required: a degraded log that goes on recording to the system log', async () => {
    const { svc, systemLog } = service({ logsDir: blockedDir() });
    const log = await svc.openSession({ ...session, required: false });
    expect(log.file).toBeNull();
    expect(log.degraded).toMatch(/could not be written to .*a file is in the way of the folder/);
    expect(log.record(SAMPLE_EVENTS['session.started'])).toBeNull();
    expect(systemLog.entries.map((e) => e.message)).toContain('Remote Assist: Session started');
    log.record(SAMPLE_EVENTS['session.ended']);
    expect(systemLog.entries.at(-1)!.fields).not.toHaveProperty('head');
  });

  it('a header that cannot be written leaves no empty file behind', async () => {
    const dir = tempDir();
    const io: LogFileIO = { ...nodeLogFileIO, write: () => { throw Object.assign(new Error('no space'), { code: 'ENOSPC' }); } };
    const { svc } = service({ logsDir: dir, io });
    await expect(svc.openSession(session)).rejects.toMatchObject({ code: 'io', message: expect.stringContaining('the disk is full') });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('disk full on the Nth write: onError fires once, the app keeps running, the file is cut back and still verifies', async () => {
    let writes = 0;
    const io: LogFileIO = {
      ...nodeLogFileIO,
      write: (fd, data) => {
        if (++writes === 4) {
          nodeLogFileIO.write(fd, data.subarray(0, 10)); // half a line reached the disk
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        }
        nodeLogFileIO.write(fd, data);
      },
    };
    const { svc, systemLog } = service({ io });
    const onError = vi.fn();
    const log = await svc.openSession({ ...session, onError });
    expect(log.record(SAMPLE_EVENTS['connection.attempt'])).not.toBeNull();
    expect(log.record(SAMPLE_EVENTS['consent.granted'])).not.toBeNull();
    expect(log.record(SAMPLE_EVENTS['session.started'])).toBeNull();
    expect(log.record(SAMPLE_EVENTS['session.ended'])).toBeNull();
    expect(onError).toHaveBeenCalledTimes(1);
    const err = onError.mock.calls[0]![0] as AppError;
    expect(err).toMatchObject({ code: 'io', details: { errno: 'ENOSPC', required: true } });
    expect(err.message).toContain('the disk is full');
    expect(log.degraded).toContain('stopped after line 3');
    expect(systemLog.entries.map((e) => e.message)).toEqual(expect.arrayContaining(['Remote Assist: Session started', expect.stringContaining('Session ended by peer')]));
    expect(await verifyLog(log.file!)).toMatchObject({ ok: true, lines: 3, ended: false });
    expect((await readEvents(log.file!)).truncatedTail).toBe(false);
  });

  it('EIO on a later sync: onError is told even if it throws itself, and record() does not throw', async () => {
    let syncs = 0;
    const io: LogFileIO = {
      ...nodeLogFileIO,
      sync: (fd) => {
        if (++syncs > 1) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
        nodeLogFileIO.sync(fd);
      },
    };
    const { svc } = service({ io });
    const seen: AppError[] = [];
    const log = await svc.openSession({
      ...session,
      required: false,
      onError: (e) => {
        seen.push(e);
        throw new Error('the callback is broken too');
      },
    });
    expect(log.degraded).toBeNull();
    expect(() => log.record(SAMPLE_EVENTS.note)).not.toThrow();
    expect(seen.map((e) => [e.code, e.details?.errno, e.details?.required])).toEqual([['io', 'EIO', false]]);
    expect(seen[0]!.message).toContain('The session goes on without it');
    expect(log.degraded).toContain('input/output error');
    expect(() => log.record(SAMPLE_EVENTS.note)).not.toThrow();
    expect(seen).toHaveLength(1);
  });

  it('EIO when the header is synced: not required → degraded from the start', async () => {
    const io: LogFileIO = { ...nodeLogFileIO, sync: () => { throw Object.assign(new Error('EIO'), { code: 'EIO' }); } };
    const { svc } = service({ io });
    const log = await svc.openSession({ ...session, required: false });
    expect(log.file).toBeNull();
    expect(log.degraded).toContain('input/output error');
  });
});

describe('recordStandalone: the daily listener file', () => {
  it('appends to listener-YYYYMMDD.jsonl, continues it after a restart, and verifies', async () => {
    const dir = tempDir();
    const now = clock();
    const mk = () => new AuditLogService({ logsDir: dir, systemLog: createMemorySystemLog(), localUser: 'ann', now, utcOffset: () => 60 });
    const a = mk();
    expect(a.recordStandalone(SAMPLE_EVENTS['offer.refused'])).toMatchObject({ seq: 2, kind: 'offer', role: 'requester' });
    a.close();
    const b = mk();
    expect(b.recordStandalone(SAMPLE_EVENTS.note, { peerAddress: '192.0.2.9' })).toMatchObject({ seq: 3, peerAddress: '192.0.2.9' });
    expect(fs.readdirSync(dir)).toEqual(['listener-20261125.jsonl']);
    expect(await verifyLog(path.join(dir, 'listener-20261125.jsonl'))).toMatchObject({ ok: true, lines: 3 });
  });

  it('starts listener-…-2 when the day file ends in a damaged line, and a new file on a new day', async () => {
    const dir = tempDir();
    let t = Date.UTC(2026, 10, 25, 22, 0, 0);
    const svc = new AuditLogService({ logsDir: dir, systemLog: createMemorySystemLog(), localUser: 'ann', now: () => new Date(t), utcOffset: () => 60 });
    svc.recordStandalone(SAMPLE_EVENTS.note);
    svc.close();
    fs.appendFileSync(path.join(dir, 'listener-20261125.jsonl'), '{"v":1,"seq":3,"ti');
    svc.recordStandalone(SAMPLE_EVENTS.note);
    t += 3_600_000; // 00:00 local on the 26th
    svc.recordStandalone(SAMPLE_EVENTS.note);
    expect(fs.readdirSync(dir).sort()).toEqual(['listener-20261125-2.jsonl', 'listener-20261125.jsonl', 'listener-20261126.jsonl']);
    expect((await verifyLog(path.join(dir, 'listener-20261125-2.jsonl'))).ok).toBe(true);
  });

  it('a failing listener folder is reported once per failure, and still reaches the system log', () => {
    const parent = path.join(root, `blocked${++n}`);
    fs.writeFileSync(parent, '');
    const onError = vi.fn();
    const { svc, systemLog } = service({ logsDir: path.join(parent, 'logs'), onError });
    expect(svc.recordStandalone(SAMPLE_EVENTS['offer.refused'])).toBeNull();
    expect(svc.recordStandalone(SAMPLE_EVENTS['offer.refused'])).toBeNull();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(systemLog.entries.filter((e) => e.message.includes('Offer of help refused'))).toHaveLength(2);
  });
});

/** Any code points, plus arbitrary UTF-16 units (lone surrogates included). */
export const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: fc.nat(0xffff).map((c) => String.fromCharCode(c)), maxLength: 200 }));

describe('properties', () => {
  it('any chat text (controls, RTL, emoji, lone surrogates) is stored on one line and read back exactly', async () => {
    const { svc } = service({ io: fastIO });
    const log = await svc.openSession(session);
    const texts: string[] = [];
    fc.assert(
      fc.property(anyText, (text) => {
        texts.push(text);
        expect(log.record({ type: 'chat.message', from: 'peer', text })!.event).toEqual({ type: 'chat.message', from: 'peer', text });
      }),
      { numRuns: 200 },
    );
    const lines = fs.readFileSync(log.file!, 'utf8').split('\n');
    expect(lines).toHaveLength(texts.length + 2);
    const page = await readEvents(log.file!, { limit: 10_000 });
    expect(page.events.map((e) => (e.event.type === 'chat.message' ? e.event.text : null))).toEqual(texts);
    expect((await verifyLog(log.file!)).ok).toBe(true);
  });
});
