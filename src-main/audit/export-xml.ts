import type { AuditLine, HeaderLine } from './audit-events';
import { readLines } from './line-reader';
import { verifyLog } from './verify';

// XML 1.0 forbids most C0 controls, lone surrogates and U+FFFE/U+FFFF even as &#…; references.
const INVALID_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const INVALID_XML_ALL = new RegExp(INVALID_XML.source, 'gu');
const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Element text: markup characters escaped, CR kept as a reference (parsers turn a raw CR into LF). */
export function escapeXmlText(s: string): string {
  return s.replace(/[&<>\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' })[c] as string);
}

/**
 * Attribute value: also quotes, and tab/LF/CR as references (parsers normalise them to spaces).
 * Characters XML cannot hold at all become U+FFFD: attributes carry names and times, not text.
 */
export function escapeXmlAttr(s: string): string {
  return s
    .replace(INVALID_XML_ALL, '\uFFFD')
    .replace(/[&<>"\t\n\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[c] as string);
}

/**
 * One field as an element. Text XML cannot hold (NUL, other controls, lone surrogates) is written
 * as a JSON string with `encoding="json"`, so every chat message comes back exactly.
 */
function field(name: string, value: unknown): string {
  const open = XML_NAME.test(name) && !/^xml/i.test(name) ? name : null;
  const tag = (attrs: string, body: string) => (open ? `<${open}${attrs}>${body}</${open}>` : `<Field name="${escapeXmlAttr(name)}"${attrs}>${body}</Field>`);
  if (value === null || value === undefined) return tag(' nil="true"', '');
  if (typeof value === 'string') {
    if (!INVALID_XML.test(value)) return tag('', escapeXmlText(value));
    const json = JSON.stringify(value).replace(/[\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
    return tag(' encoding="json"', escapeXmlText(json));
  }
  if (typeof value === 'number' || typeof value === 'boolean') return tag('', String(value));
  return tag(' encoding="json"', escapeXmlText(JSON.stringify(value).replace(INVALID_XML_ALL, '\uFFFD')));
}

function attrs(pairs: Record<string, unknown>): string {
  return Object.entries(pairs)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXmlAttr(String(v))}"`)
    .join('');
}

/** Header and events of a log, malformed lines skipped (verify reports them). */
export async function readAllLines(file: string): Promise<{ header: HeaderLine | null; events: AuditLine[] }> {
  let header: HeaderLine | null = null;
  const events: AuditLine[] = [];
  for await (const raw of readLines(file)) {
    let v: unknown;
    try {
      v = JSON.parse(raw.text);
    } catch {
      continue;
    }
    const line = v as AuditLine | HeaderLine | null;
    if (line === null || typeof line !== 'object' || typeof line.event !== 'object' || line.event === null) continue;
    if (line.event.type === 'log.header') header ??= line as HeaderLine;
    else events.push(line as AuditLine);
  }
  return { header, events };
}

/** The integrity verdict as one attribute value. */
async function integrity(file: string): Promise<string> {
  const v = await verifyLog(file);
  return v.ok ? `intact (${v.lines} lines, head ${v.head})` : `${v.problem} at line ${v.firstBadLine}: ${v.detail}`;
}

/**
 * The session as XML, for people used to Windows Remote Assistance's XML logs:
 * `<RemoteAssistanceSession …><Event seq time type …><field>…</field></Event>…</RemoteAssistanceSession>`.
 * Element and attribute names follow our line format (LOG-FORMAT.md), not a Windows schema.
 */
export async function exportSessionXml(file: string): Promise<string> {
  const { header, events } = await readAllLines(file);
  const h = header;
  const root = attrs({
    formatVersion: h?.v,
    sessionId: h?.sessionId,
    kind: h?.kind,
    solicited: h ? String(h.kind === 'invitation') : null,
    role: h?.role,
    localUser: h?.localUser,
    startedAt: h?.event.startedAt,
    utcOffset: h?.event.utcOffset,
    appVersion: h?.event.appVersion,
    integrity: await integrity(file),
  });
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<RemoteAssistanceSession${root}>`];
  for (const e of events) {
    const { type, ...fields } = e.event as Record<string, unknown>;
    const head = attrs({ seq: e.seq, time: e.time, type, peerName: e.peerName, peerAddress: e.peerAddress });
    const body = Object.entries(fields).map(([k, v]) => field(k, v));
    out.push(body.length ? `  <Event${head}>${body.join('')}</Event>` : `  <Event${head}/>`);
  }
  out.push('</RemoteAssistanceSession>', '');
  return out.join('\n');
}

/** The session's events as a JSON array (header left out; every event carries the session fields). */
export async function exportSessionJson(file: string): Promise<string> {
  const { events } = await readAllLines(file);
  return JSON.stringify(events, null, 2) + '\n';
}
