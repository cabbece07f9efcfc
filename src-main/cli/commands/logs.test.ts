import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLogService } from '../../audit/audit-log';
import { SAMPLE_EVENTS as S } from '../../audit/audit-samples';
import { nodeLogFileIO } from '../../audit/log-file-writer';
import { createMemorySystemLog } from '../../platform/system-log/system-log-port';
import { resolveProfile } from '../../profile/profile-paths';
import type { CliIO } from '../cli-command';
import { logsCommand } from './logs';

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-cli-logs-'));
afterAll(() => fs.rmSync(profile, { recursive: true, force: true }));
const logsDir = resolveProfile(profile).logsDir;

/** Runs `remote-assist logs …` with REMOTE_ASSIST_PROFILE pointing at the test profile. */
async function logs(...argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t), env: { REMOTE_ASSIST_PROFILE: profile } };
  const code = await logsCommand.run(argv, io);
  return { code, out, err };
}

let ended: string;
let crashed: string;
beforeAll(async () => {
  let t = Date.UTC(2026, 10, 25, 13, 0, 0);
  const svc = new AuditLogService({ logsDir, systemLog: createMemorySystemLog(), localUser: 'ann', io: { ...nodeLogFileIO, sync: () => {} }, now: () => new Date((t += 1000)), utcOffset: () => 60 });
  const a = await svc.openSession({ kind: 'invitation', role: 'requester', required: true, peerName: 'Bob', peerAddress: '192.0.2.10' });
  for (const e of [S['consent.granted'], S['session.started'], { ...S['chat.message'], text: 'hi\n\u001b[2Jcleared? <b>' }, S['file.completed'], S['session.ended']]) a.record(e);
  ended = a.file!;
  t += 600_000;
  const b = await svc.openSession({ kind: 'offer', role: 'requester', required: true, peerName: 'Eve\u001b[31m' });
  b.record(S['session.started']);
  b.close();
  crashed = b.file!;
});

describe('remote-assist logs', () => {
  it('list: newest first, in columns, with outcome and event count', async () => {
    const r = await logs('list');
    expect(r.code).toBe(0);
    const rows = r.out.trim().split('\n');
    expect(rows[0]).toMatch(/^ID\s+STARTED\s+KIND\s+ROLE\s+PEER\s+DURATION\s+OUTCOME\s+EVENTS$/);
    expect(rows[1]).toMatch(/^20261125141007\s+2026-11-25T14:10:07.000\+01:00\s+offer\s+requester\s+Eve\?\[31m\s+\S+\s+incomplete\s+1$/);
    expect(rows[2]).toMatch(/^20261125140001\s+\S+\s+invitation\s+requester\s+Bob\s+12m34s\s+ended\s+5$/);
  });

  it('list --json, and an empty folder', async () => {
    const r = await logs('list', '--json');
    expect((JSON.parse(r.out) as { id: string; outcome: string }[]).map((s) => [s.id, s.outcome])).toEqual([
      ['20261125141007', 'incomplete'],
      ['20261125140001', 'ended'],
    ]);
    let out = '';
    const code = await logsCommand.run(['list'], { out: (t) => void (out += t), err: () => {}, env: { REMOTE_ASSIST_PROFILE: path.join(profile, 'empty') } });
    expect([code, out]).toEqual([0, 'No session logs yet.\n']);
  });

  it('show ID: one line per event, control characters neutralised; --type and --json filter', async () => {
    const r = await logs('show', '20261125140001');
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('\u001b');
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^Session [0-9a-f-]{36} \(invitation, requester, user "ann"\) started 2026-11-25T14:00:01.000\+01:00$/);
    expect(lines.slice(1).map((l) => l.split(' ')[2])).toEqual(['consent.granted', 'session.started', 'chat.message', 'file.completed', 'session.ended']);
    expect(lines[3]).toBe('#4 2026-11-25T14:00:04.000+01:00 chat.message from="peer" text="hi\\n\\u001b[2Jcleared? <b>"');

    const j = await logs('show', ended, '--json', '--type', 'chat.message,file.completed');
    expect((JSON.parse(j.out) as { event: { type: string } }[]).map((e) => e.event.type)).toEqual(['chat.message', 'file.completed']);
    const two = await logs('show', '20261125140001', '--type', 'session.started', '--type', 'session.ended', '--limit', '1');
    expect(two.out).toContain('(1 of 2 events from 0; use --offset and --limit for more)');
  });

  it('show warns about a truncated tail on stderr', async () => {
    const copy = path.join(profile, 'copy.jsonl');
    fs.writeFileSync(copy, fs.readFileSync(crashed, 'utf8') + '{"v":1,"se');
    const r = await logs('show', copy);
    expect(r.code).toBe(0);
    expect(r.err).toContain('unfinished line');
  });

  it('verify: 0 intact, 1 with the first bad line, 2 unreadable or malformed', async () => {
    const ok = await logs('verify', ended);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/intact, 6 lines\nhead [0-9a-f]{64}\n$/);
    expect((await logs('verify', '20261125141007')).out).toContain('no session end');

    const lines = fs.readFileSync(ended, 'utf8').split('\n');
    const altered = path.join(profile, 'altered.jsonl');
    fs.writeFileSync(altered, lines.join('\n').replace('"consent.granted","kind":"view"', '"consent.granted","kind":"control"'));
    const a = await logs('verify', altered);
    expect(a.code).toBe(1);
    expect(a.out).toContain('line 2: altered');

    const removed = path.join(profile, 'removed.jsonl');
    fs.writeFileSync(removed, lines.filter((_, i) => i !== 3).join('\n'));
    const rm = await logs('verify', removed);
    expect([rm.code, rm.out.includes('line 4: removed — line 4 was removed')]).toEqual([1, true]);

    const junk = path.join(profile, 'junk.jsonl');
    fs.writeFileSync(junk, 'hello\n');
    expect((await logs('verify', junk)).code).toBe(2);
    const missing = await logs('verify', path.join(profile, 'none.jsonl'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('No session log');
  });

  it('export --xml to stdout, --json to a file that is never overwritten', async () => {
    const x = await logs('export', '20261125140001', '--xml');
    expect(x.code).toBe(0);
    expect(XMLValidator.validate(x.out)).toBe(true);
    expect(x.out).toContain('<text encoding="json">"hi\\n\\u001b[2Jcleared? &lt;b&gt;"</text>');

    const out = path.join(profile, 'export.json');
    expect((await logs('export', '20261125140001', '--json', '--out', out)).code).toBe(0);
    expect((JSON.parse(fs.readFileSync(out, 'utf8')) as unknown[]).length).toBe(5);
    const again = await logs('export', '20261125140001', '--json', '--out', out);
    expect(again.code).toBe(1);
    expect(again.err).toContain('already exists');
    const self = await logs('export', '20261125140001', '--json', '--out', ended);
    expect(self.code).toBe(1);
    expect(fs.readFileSync(ended, 'utf8').startsWith('{"v":1')).toBe(true);
  });

  it('bad usage exits 2 with the usage text; --help exits 0', async () => {
    for (const argv of [[], ['frobnicate'], ['list', '--bogus'], ['show'], ['export', '20261125140001'], ['export', '20261125140001', '--xml', '--json'], ['show', '20261125140001', '--limit', 'ten']]) {
      const r = await logs(...argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.out + r.err).toContain('Usage: remote-assist logs');
    }
    const help = await logs('--help');
    expect([help.code, help.out.startsWith('Usage: remote-assist logs')]).toEqual([0, true]);
    expect(logsCommand.name).toBe('logs');
  });
});
