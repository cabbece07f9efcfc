import crypto from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src-shared/contract/errors';
import { createTicket, parseTicketFile, unsealTicket } from './ticket-codec';
import { deriveTicketKeys } from './ticket-crypto';
import { MAX_TICKET_FILE_BYTES } from './ticket-limits';
import type { Ticket } from './ticket-schema';

// Tests edit tickets as loose JSON, field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type EditableJson = Record<string, any>;

const PASSWORD = 'correct-pony-staple';
let valid: string;
let validCompat: string;
beforeAll(async () => {
  const base = { password: PASSWORD, requester: { userName: 'bob', computerName: 'BOB-PC' }, allowControl: true, lifetimeMinutes: 60, kdf: { N: 1024, r: 8, p: 1 } };
  valid = (await createTicket({ ...base, mode: 'encrypted', candidates: [{ host: '10.1.2.3', port: 5950 }] })).fileText;
  validCompat = (await createTicket({ ...base, mode: 'compatibility', candidates: [{ host: '10.1.2.3', port: 5950 }] })).fileText;
});
afterEach(() => vi.restoreAllMocks());

function problem(input: string | Uint8Array): AppError {
  try {
    parseTicketFile(input);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw new Error(`threw a non-AppError: ${String(e)}`, { cause: e });
  }
  throw new Error('parsed without error');
}

/** The valid ticket as JSON with one edit applied. */
function edited(edit: (t: EditableJson) => void, source = () => valid): string {
  const t = JSON.parse(source()) as EditableJson;
  edit(t);
  return JSON.stringify(t, null, 2);
}

const utf16le = (s: string, bom = true) => Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string) => {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
};

const MSRC = `<?xml version="1.0" encoding="Unicode" ?>
<UPLOADINFO TYPE="Escalated"><UPLOADDATA USERNAME="bob" RCTICKET="65538,1,10.0.0.5:3389;winhost:3389,*,kB8f/zkcR1gqF0m3Ko2Zp5FzY6A5cHrWq9QH8v2ZP4c=,*,*,Qm9i/7T1aE4=" RCTICKETENCRYPTED="1" DtStart="1714816800" DtLength="360" PassStub="z#9mT4qP!x2kLw" L="0" /></UPLOADINFO>`;

describe('parseTicketFile accepts', () => {
  it('the file as text and as bytes, with a UTF-8 BOM, and as UTF-16 LE/BE with BOM', () => {
    const expected = parseTicketFile(valid);
    expect(parseTicketFile(Buffer.from(valid))).toEqual(expected);
    expect(parseTicketFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(valid)]))).toEqual(expected);
    expect(parseTicketFile(`\uFEFF${valid}`)).toEqual(expected);
    expect(parseTicketFile(utf16le(valid))).toEqual(expected);
    expect(parseTicketFile(utf16le(valid, false))).toEqual(expected);
    expect(parseTicketFile(utf16be(valid))).toEqual(expected);
  });
  it('CRLF line ends and minified JSON', () => {
    expect(parseTicketFile(valid.replace(/\n/g, '\r\n')).id).toBe(parseTicketFile(valid).id);
    expect(parseTicketFile(JSON.stringify(JSON.parse(valid))).id).toBe(parseTicketFile(valid).id);
  });
});

describe('parseTicketFile refuses, with a specific reason', () => {
  const cases: [string, () => string | Uint8Array, string, string][] = [
    ['an empty file', () => new Uint8Array(0), 'empty', 'The file is empty'],
    ['blank space only', () => ' \n\t\r\n', 'empty', 'only blank space'],
    ['a PNG image', () => Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex'), 'binary', 'binary data'],
    ['invalid UTF-8', () => Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), 'binary', 'an encoding other than UTF-8'],
    ['a UTF-8 BOM before invalid UTF-8', () => Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0xff, 0x7d]), 'binary', 'marked as UTF-8 text but is not valid UTF-8'],
    ['NUL bytes inside text', () => '{"format":\u0000}', 'binary', 'binary data'],
    ['a broken UTF-16 file (odd length)', () => Buffer.concat([utf16le('{"a":1}'), Buffer.from([0x41])]), 'binary', 'not valid UTF-16'],
    ['plain prose', () => 'Hello Bob, here is the invitation', 'not-json', 'it is not JSON (line 1, column 1'],
    ['JSON with a missing comma, with line and column', () => '{\n  "format": "remote-assist-invitation"\n  "version": 1\n}', 'not-json', "line 3, column 3: expected ',' or '}' after a field"],
    ['a trailing comma', () => '{"format": "x",\n}', 'not-json', "line 2, column 1: a comma before '}' has no field after it"],
    ['an unterminated string', () => '{"format": "remote-assist', 'not-json', 'no closing quote'],
    ['a line break inside a string', () => '{"format": "remote\nassist"}', 'not-json', 'control character'],
    ['a lone surrogate escape', () => '{"format": "\\ud800"}', 'not-json', 'half of a surrogate pair'],
    ['a bad escape', () => '{"format": "\\x41"}', 'not-json', 'is not a JSON escape'],
    ['text after the JSON', () => '{"format": "x"} trailing', 'not-json', 'after the end of the JSON value'],
    ['a duplicated key', () => '{"format": "remote-assist-invitation", "format": "x"}', 'not-json', 'the field "format" appears twice'],
    ['deep nesting', () => '['.repeat(60_000), 'not-json', 'nested more than 16 levels deep'],
    ['deep object nesting', () => '{"a":'.repeat(5000), 'not-json', 'nested more than 16 levels deep'],
    ['a huge number', () => '{"format": "remote-assist-invitation", "version": 1e400}', 'not-json', 'the number 1e400 is too large'],
    ['a number beyond 2^53', () => '{"version": 9007199254740993}', 'not-json', 'the number 9007199254740993 is too large'],
    ['a very long number', () => `{"version": 1${'0'.repeat(5000)}}`, 'not-json', 'is too large'],
    ['a JSON list', () => '[{"format": "remote-assist-invitation"}]', 'not-invitation', 'holds a JSON list'],
    ['a JSON string', () => '"remote-assist-invitation"', 'not-invitation', 'a single JSON value (the text "remote-assist-invitation")'],
    ['a JSON number', () => '42', 'not-invitation', 'a single JSON value (the number 42)'],
    ['JSON null', () => 'null', 'not-invitation', 'a single JSON value (null)'],
    ['an object without format', () => '{"name": "x"}', 'not-invitation', 'has no "format" field'],
    ['another format', () => '{"format": "vnc-ticket", "version": 1}', 'not-invitation', 'its "format" is "vnc-ticket"'],
    ['a format with escape sequences', () => '{"format": "\\u001b[31mred"}', 'not-invitation', 'its "format" is "\\u{1b}[31mred"'],
    ['a newer version', () => edited((t) => (t.version = 2)), 'newer-version', 'made by a newer version of Remote Assist (format 2); update the app to open it.'],
    ['a version that is text', () => edited((t) => (t.version = '1')), 'invalid-field', '"version" must be a whole number from 1 (it is the text "1")'],
    ['version 0', () => edited((t) => (t.version = 0)), 'invalid-field', '"version" must be a whole number'],
    ['a missing field', () => edited((t) => delete t.requester.userName), 'invalid-field', 'the field "requester.userName" is missing'],
    ['a wrongly typed field', () => edited((t) => (t.allowControl = 'yes')), 'invalid-field', 'the field "allowControl" must be true or false (it is the text "yes")'],
    ['an unknown top-level field', () => edited((t) => (t.password = 'x')), 'invalid-field', 'a field Remote Assist does not know: "password"'],
    ['an unknown nested field', () => edited((t) => (t.requester.email = 'x')), 'invalid-field', 'does not know inside "requester": "email"'],
    ['an unknown mode', () => edited((t) => (t.mode = 'plain')), 'invalid-field', 'the field "mode" must be "encrypted" or "compatibility"'],
    ['another AEAD', () => edited((t) => (t.sealed.alg = 'des')), 'invalid-field', 'the field "sealed.alg" must be "aes-256-gcm"'],
    ['another KDF', () => edited((t) => (t.kdf.alg = 'pbkdf2')), 'invalid-field', 'the field "kdf.alg" must be "scrypt"'],
    ['an over-long name', () => edited((t) => (t.requester.computerName = 'x'.repeat(129))), 'invalid-field', '"requester.computerName" is too long (at most 128 characters)'],
    ['a blank name', () => edited((t) => (t.requester.userName = '   ')), 'invalid-field', '"requester.userName" must not be blank'],
    ['a terminal escape in a name', () => edited((t) => (t.requester.userName = 'bob\u001b[2J')), 'invalid-field', '"requester.userName" must not contain control characters'],
    ['a bidi override in a name', () => edited((t) => (t.requester.computerName = 'PC\u202Egpj.exe')), 'invalid-field', 'must not contain control characters'],
    ['an id that is not base64url', () => edited((t) => (t.id = 'not base64!')), 'invalid-field', 'the field "id" is not base64url text'],
    ['a short id (8 bytes)', () => edited((t) => (t.id = 'AAAAAAAAAAA')), 'invalid-field', 'the field "id" must encode 16 to 64 bytes'],
    ['a non-canonical base64url id', () => edited((t) => (t.id = t.id.slice(0, 21) + 'B')), 'invalid-field', '"id" is not base64url text'],
    ['a short nonce', () => edited((t) => (t.sealed.nonce = 'AAAAAAAAAAAA')), 'invalid-field', '"sealed.nonce" must encode 12 bytes'],
    ['a date without an offset', () => edited((t) => (t.expiresAt = '2030-05-04T16:00:00')), 'invalid-field', '"expiresAt" is not a date and time in ISO 8601 form with a time-zone offset'],
    ['an impossible date', () => edited((t) => (t.createdAt = '2030-02-30T10:00:00Z')), 'invalid-field', '"createdAt" is not a date and time'],
    ['expiry before creation', () => edited((t) => (t.expiresAt = t.createdAt)), 'invalid-field', '"expiresAt" is not after "createdAt"'],
    ['a lifetime over 30 days', () => edited((t) => (t.expiresAt = '2999-01-01T00:00:00Z')), 'invalid-field', '"expiresAt" is more than 30 days after "createdAt"'],
    ['clear addresses in encrypted-only mode', () => edited((t) => (t.candidates = [{ host: '10.0.0.1', port: 1 }])), 'invalid-field', 'must not be there: an encrypted-only invitation keeps its addresses sealed'],
    ['compatibility mode without clear addresses', () => edited((t) => delete t.candidates, () => validCompat), 'invalid-field', '"candidates" is missing: a compatibility invitation'],
    ['port 0', () => edited((t) => (t.candidates[0].port = 0), () => validCompat), 'invalid-field', 'the field "candidates[0].port" must be at least 1 (it is the number 0)'],
    ['a fractional port', () => edited((t) => (t.candidates[0].port = 80.5), () => validCompat), 'invalid-field', '"candidates[0].port" must be a whole number (it is the number 80.5)'],
    ['a host with a space', () => edited((t) => (t.candidates[0].host = 'exa mple.com'), () => validCompat), 'invalid-field', '"candidates[0].host" is not an IP address or a host name'],
    ['a broken IPv4 address', () => edited((t) => (t.candidates[0].host = '10.0.0.999'), () => validCompat), 'invalid-field', 'is not a valid IPv4 address'],
    ['an IPv6 zone id', () => edited((t) => (t.candidates[0].host = 'fe80::1%eth0'), () => validCompat), 'invalid-field', 'zone id'],
    ['0.0.0.0', () => edited((t) => (t.candidates[0].host = '0.0.0.0'), () => validCompat), 'invalid-field', 'not an address a helper can connect to'],
    ['too many addresses', () => edited((t) => (t.candidates = Array.from({ length: 17 }, (_, i) => ({ host: `10.0.0.${i + 1}`, port: 1 }))), () => validCompat), 'invalid-field', '"candidates" has too many entries (at most 16)'],
    ['an XML document', () => '<?xml version="1.0"?><config><a/></config>', 'not-invitation', 'an XML document, not a Remote Assist invitation'],
    ['broken XML', () => '<<<not really xml', 'not-invitation', 'an XML document'],
  ];
  it.each(cases)('%s', (_name, input, reason, fragment) => {
    const e = problem(input());
    expect(e.code).toBe('invalid-input');
    expect(e.details?.reason).toBe(reason);
    expect(e.message).toContain(fragment);
    expect(e.message).not.toMatch(/[\r\n]/);
    expect(e.message.length).toBeLessThan(300);
  });

  it('reports line and column in details', () => {
    const e = problem('{\n  "format": "remote-assist-invitation"\n  "version": 1\n}');
    expect(e.details).toMatchObject({ line: 3, column: 3 });
  });
});

describe('Windows Remote Assistance invitations', () => {
  const expected = 'This is a Windows Remote Assistance invitation (.msrcincident). Remote Assist cannot open it: ask the person to send an invitation from Remote Assist instead.';
  it.each([
    ['UTF-8 text', () => MSRC],
    ['UTF-8 bytes', () => Buffer.from(MSRC)],
    ['UTF-16LE with BOM (as Windows saves it)', () => utf16le(MSRC)],
    ['UTF-16LE without BOM', () => utf16le(MSRC, false)],
    ['UTF-16BE with BOM', () => utf16be(MSRC)],
    ['lower-case root, no declaration', () => '<uploadinfo TYPE="Escalated"><UPLOADDATA USERNAME="x"/></uploadinfo>'],
  ])('%s', (_name, input) => {
    const e = problem(input());
    expect(e.message).toBe(expected);
    expect(e.details?.reason).toBe('msrcincident');
  });
  it('a DOCTYPE with entities is not expanded (billion laughs)', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('')}]><UPLOADINFO>&lol9;</UPLOADINFO>`;
    const started = Date.now();
    expect(problem(lol).details?.reason).toMatch(/msrcincident|not-invitation/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('size', () => {
  it('refuses a file over 64 KiB before decoding it', () => {
    const big = Buffer.alloc(MAX_TICKET_FILE_BYTES + 1, 0x20);
    const e = problem(big);
    expect(e.details?.reason).toBe('too-large');
    expect(e.message).toBe('The file is too large to be an invitation (65 KiB; an invitation is at most 64 KiB).');
    expect(problem(Buffer.alloc(5 * 2 ** 20, 0xff)).message).toContain('(5.0 MiB;');
  });
  it('counts a string in UTF-8 bytes', () => {
    // 30,000 "é" are 60,000 bytes (fine); 40,000 are 80,000 bytes (too large) though only 40,000 characters.
    expect(problem(`"${'é'.repeat(30_000)}"`).details?.reason).toBe('not-invitation');
    expect(problem(`"${'é'.repeat(40_000)}"`).details?.reason).toBe('too-large');
  });
  it('accepts exactly 64 KiB', () => {
    const padded = valid + ' '.repeat(MAX_TICKET_FILE_BYTES - Buffer.byteLength(valid));
    expect(Buffer.byteLength(padded)).toBe(MAX_TICKET_FILE_BYTES);
    expect(parseTicketFile(padded).format).toBe('remote-assist-invitation');
  });
});

describe('hostile KDF parameters are refused before any scrypt runs', () => {
  const hostile: [string, Record<string, number>, string][] = [
    ['N = 2^21', { N: 2 ** 21 }, 'N = 2^21 is over the limit of 2^20'],
    ['N = 2^40', { N: 2 ** 40 }, 'N = 2^40 is over the limit of 2^20'],
    ['N not a power of two', { N: 30_000 }, 'N = 30000 is not a power of two'],
    ['N too small', { N: 16 }, 'N = 2^4 is under the minimum of 2^10'],
    ['r = 17', { r: 17 }, 'r = 17 is outside 1 to 16'],
    ['p = 5', { p: 5 }, 'p = 5 is outside 1 to 4'],
    ['2 GiB of memory (N = 2^20, r = 16)', { N: 2 ** 20, r: 16 }, 'needs 2048 MiB, over the limit of 256 MiB'],
    ['N ≥ 2^(16·r), which scrypt itself forbids', { N: 2 ** 16, r: 1 }, 'N = 2^16 needs r of at least 2'],
  ];
  it.each(hostile)('%s', async (_name, kdf, fragment) => {
    const scrypt = vi.spyOn(crypto, 'scrypt');
    const text = edited((t) => Object.assign(t.kdf, kdf));
    const e = problem(text);
    expect(e.details?.reason).toBe('hostile-kdf');
    expect(e.message).toContain(fragment);
    expect(e.message).toContain('It was not made by Remote Assist, or it was altered');
    // The same parameters in a Ticket built by code (skipping the parser) are refused too.
    const ticket = { ...(JSON.parse(valid) as Ticket) };
    ticket.kdf = { ...ticket.kdf, ...kdf };
    await expect(unsealTicket(ticket, PASSWORD)).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(deriveTicketKeys(PASSWORD, { N: 1024, r: 8, p: 1, ...kdf }, Buffer.alloc(16))).rejects.toMatchObject({ code: 'invalid-input' });
    expect(scrypt).not.toHaveBeenCalled();
  });
});

describe('every KDF setting the limits accept really runs', () => {
  // Edges of KDF_LIMITS that are cheap enough for a unit test (≤ 16 MiB each).
  it.each([
    { N: 2 ** 10, r: 1, p: 1 },
    { N: 2 ** 10, r: 16, p: 4 },
    { N: 2 ** 15, r: 1, p: 1 },
    { N: 2 ** 16, r: 2, p: 1 },
  ])('%j', async (params) => {
    const keys = await deriveTicketKeys(PASSWORD, params, Buffer.alloc(16, 7));
    expect(keys.aeadKey).toHaveLength(32);
    expect(keys.keyCheck).toHaveLength(16);
  });
});
