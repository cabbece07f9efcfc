import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemorySystemLog } from '../platform/system-log/system-log-port';
import { AuditLogService } from './audit-log';
import { sampleEventList } from './audit-samples';
import { exportSessionJson, exportSessionXml } from './export-xml';
import { nodeLogFileIO } from './log-file-writer';
import { readEvents } from './log-reader';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-export-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;

async function logWithChat(texts: string[], peerName = 'Bob'): Promise<string> {
  const svc = new AuditLogService({ logsDir: path.join(root, String(++n)), systemLog: createMemorySystemLog(), localUser: 'ann & <co>', io: { ...nodeLogFileIO, sync: () => {} } });
  const log = await svc.openSession({ kind: 'invitation', role: 'requester', required: true, peerName, peerAddress: '192.0.2.10' });
  for (const text of texts) log.record({ type: 'chat.message', from: 'peer', text });
  log.close();
  return log.file!;
}

// A real XML parser would reject these characters anywhere in the document.
const NOT_XML_1_0 = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', trimValues: false, parseTagValue: false, parseAttributeValue: false, htmlEntities: true, isArray: (name) => name === 'Event' });

type XmlText = string | { '#text'?: string; '@encoding'?: string };
/** Parses the export the way a consumer would and returns the chat texts, decoded. */
function chatTexts(xml: string): string[] {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(NOT_XML_1_0.test(xml)).toBe(false);
  const doc = parser.parse(xml) as { RemoteAssistanceSession: { Event?: { '@type': string; text?: XmlText }[] } };
  return (doc.RemoteAssistanceSession.Event ?? [])
    .filter((e) => e['@type'] === 'chat.message')
    .map((e) => {
      const t = e.text ?? '';
      if (typeof t === 'string') return t;
      return t['@encoding'] === 'json' ? (JSON.parse(t['#text'] ?? '') as string) : (t['#text'] ?? '');
    });
}

/** Any code points, plus arbitrary UTF-16 units (lone surrogates included). */
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: fc.nat(0xffff).map((c) => String.fromCharCode(c)), maxLength: 80 }));

describe('exportSessionXml', () => {
  const hostile = [
    '<script>alert("x")</script> & &amp; ]]> <![CDATA[ x ]]>',
    `quotes " and ' and \\ backslash`,
    'line one\nline two\r\nwindows\rold mac\ttab',
    'NUL \u0000 bell \u0007 escape \u001b[31m red \u001f',
    '\u202eRTL override \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627',
    'emoji 👩‍💻 🇫🇷 \u{1F600}',
    'lone \ud800 surrogate and \udfff and \uffff \ufffe',
    '   spaces kept   ',
    '12345',
    'true',
    '',
  ];

  it('escapes hostile chat text; the document is well-formed XML 1.0 and every text comes back exactly', async () => {
    const file = await logWithChat(hostile, 'Eve <"evil">\n\u0000');
    const xml = await exportSessionXml(file);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<RemoteAssistanceSession ')).toBe(true);
    expect(chatTexts(xml)).toEqual(hostile);
    expect(xml).toContain('localUser="ann &amp; &lt;co&gt;"');
    expect(xml).toContain('peerName="Eve &lt;&quot;evil&quot;&gt;&#10;\uFFFD"');
    expect(xml).toContain('<text>&lt;script&gt;alert("x")&lt;/script&gt; &amp; &amp;amp; ]]&gt; &lt;![CDATA[ x ]]&gt;</text>');
    expect(xml).toMatch(/integrity="intact \(12 lines, head [0-9a-f]{64}\)"/);
  });

  it('puts every event type in, one Event element each, with its fields', async () => {
    const svc = new AuditLogService({ logsDir: path.join(root, 'all'), systemLog: createMemorySystemLog(), localUser: 'ann', io: { ...nodeLogFileIO, sync: () => {} } });
    const log = await svc.openSession({ kind: 'offer', role: 'helper', required: true });
    for (const e of sampleEventList()) log.record(e);
    const doc = parser.parse(await exportSessionXml(log.file!)) as { RemoteAssistanceSession: Record<string, string> & { Event: Record<string, unknown>[] } };
    expect(doc.RemoteAssistanceSession).toMatchObject({ '@kind': 'offer', '@solicited': 'false', '@role': 'helper', '@localUser': 'ann' });
    const events = doc.RemoteAssistanceSession.Event;
    expect(events.map((e) => e['@type'])).toEqual(sampleEventList().map((e) => e.type));
    expect(events.find((e) => e['@type'] === 'file.completed')).toMatchObject({ direction: 'receive', name: 'report.pdf', size: '1024', sha256: 'a'.repeat(64) });
  });

  it('says in the export when the log was tampered with', async () => {
    const file = await logWithChat(['hello', 'world']);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('world', 'w0rld'));
    expect(await exportSessionXml(file)).toContain('integrity="altered at line 3: ');
  });

  it('round-trips arbitrary chat text (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyText, { maxLength: 15 }), async (texts) => {
        expect(chatTexts(await exportSessionXml(await logWithChat(texts)))).toEqual(texts);
      }),
      { numRuns: 25 },
    );
  });
});

describe('exportSessionJson', () => {
  it('is the array of events as stored, hostile text intact', async () => {
    const file = await logWithChat(hostile());
    const parsed = JSON.parse(await exportSessionJson(file)) as unknown[];
    expect(parsed).toEqual((await readEvents(file)).events);
    expect(parsed.map((e) => (e as { event: { text: string } }).event.text)).toEqual(hostile());
  });
  const hostile = () => ['<&>', '\u0000\r\n', '\ud800'];
});
