import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, isAppError } from '../../src-shared/contract/errors';
import { formatLocalDateTime } from '../../src-shared/invitation/time-text';
import { checkExpiry, createTicket, openTicket, parseTicketFile, ticketFileName, unsealTicket, type CreateTicketOptions } from './ticket-codec';
import { DEFAULT_KDF_PARAMS } from './ticket-limits';
import { canonicalJson } from './ticket-aad';

// Tests edit tickets as loose JSON, field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type EditableJson = Record<string, any>;

// Small scrypt parameters keep the suite fast; one test below uses the defaults.
const FAST_KDF = { N: 1024, r: 8, p: 1 };
const PASSWORD = 'k7mx-3aph-rtwy-4njd';
const NOW = new Date('2030-05-04T10:00:00Z');
const CANDIDATES = [
  { host: '192.168.77.5', port: 5950 },
  { host: 'fd12:3456:789a::5', port: 5950 },
  { host: 'helpdesk-target.example.org', port: 5951 },
  { host: '127.0.0.1', port: 5950 },
];

function options(over: Partial<CreateTicketOptions> = {}): CreateTicketOptions {
  return {
    password: PASSWORD,
    requester: { userName: 'Ada Lovelace', computerName: 'ADA-LAPTOP' },
    allowControl: false,
    mode: 'encrypted',
    candidates: CANDIDATES,
    lifetimeMinutes: 360,
    now: NOW,
    kdf: FAST_KDF,
    ...over,
  };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-ticket-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Saves the text as a real file and reads it back as bytes, as the app does. */
function throughFile(name: string, text: string): Uint8Array {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return fs.readFileSync(file);
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

describe('round trip', () => {
  it('encrypted-only: the file names no candidate address anywhere, and the password reveals them', async () => {
    const made = await createTicket(options());
    for (const { host } of CANDIDATES) expect(made.fileText).not.toContain(host);
    expect(made.fileText).not.toContain('5950');
    expect(made.fileText).not.toContain(PASSWORD);
    expect(made.fileName).toMatch(/^Invitation-ADA-LAPTOP-\d{8}-\d{4}\.rainvite$/);
    const ticket = parseTicketFile(throughFile(made.fileName, made.fileText));
    expect(ticket).toEqual(made.ticket);
    expect(ticket.candidates).toBeUndefined();
    expect(ticket.requester).toEqual({ userName: 'Ada Lovelace', computerName: 'ADA-LAPTOP' });
    expect(Date.parse(ticket.expiresAt) - Date.parse(ticket.createdAt)).toBe(360 * 60_000);
    expect(Buffer.from(ticket.id, 'base64url').length).toBeGreaterThanOrEqual(16);
    const opened = await openTicket(ticket, PASSWORD, NOW);
    expect(opened.candidates).toEqual(CANDIDATES);
    expect(opened.relay).toBeUndefined();
  });

  it('compatibility: candidates in clear text AND sealed, and both agree', async () => {
    const made = await createTicket(options({ mode: 'compatibility', allowControl: true }));
    for (const { host } of CANDIDATES) expect(made.fileText).toContain(host);
    const ticket = parseTicketFile(throughFile('compat.rainvite', made.fileText));
    expect(ticket.candidates).toEqual(CANDIDATES);
    expect(ticket.allowControl).toBe(true);
    const opened = await openTicket(ticket, PASSWORD, NOW);
    expect(opened.candidates).toEqual(CANDIDATES);
    // The sealed copy is real: decrypting it gives the list even with the clear copy removed from view.
    expect(opened.ticket.sealed.ciphertext.length).toBeGreaterThan(100);
  });

  it('carries a relay inside the seal', async () => {
    const relay = { url: 'wss://relay.example.org/v1', pairingId: 'abc_DEF-123' };
    const made = await createTicket(options({ relay }));
    expect(made.fileText).not.toContain('relay.example.org');
    expect((await openTicket(parseTicketFile(made.fileText), PASSWORD, NOW)).relay).toEqual(relay);
  });

  it('accepts the generated password typed in capitals, spaced, without dashes', async () => {
    const made = await createTicket(options());
    const opened = await openTicket(parseTicketFile(made.fileText), '  K7MX 3APH RTWY 4NJD ', NOW);
    expect(opened.candidates).toHaveLength(CANDIDATES.length);
  });

  it('uses a fresh id, salt and nonce every time', async () => {
    const [a, b] = await Promise.all([createTicket(options()), createTicket(options())]);
    expect(a.ticket.id).not.toBe(b.ticket.id);
    expect(a.ticket.kdf.salt).not.toBe(b.ticket.kdf.salt);
    expect(a.ticket.sealed.nonce).not.toBe(b.ticket.sealed.nonce);
  });

  it('with the default scrypt parameters (N=2^15, r=8, p=1)', async () => {
    const made = await createTicket(options({ kdf: undefined }));
    expect(made.ticket.kdf).toMatchObject({ alg: 'scrypt', ...DEFAULT_KDF_PARAMS });
    const opened = await openTicket(parseTicketFile(made.fileText), PASSWORD, NOW);
    expect(opened.candidates).toEqual(CANDIDATES);
  });
});

describe('createTicket refuses bad input', () => {
  it.each([
    [{ password: 'abc' }, 'at least 6 characters'],
    [{ password: 'abc\ndef' }, 'control characters'],
    [{ lifetimeMinutes: 0 }, 'lifetime'],
    [{ lifetimeMinutes: 1.5 }, 'lifetime'],
    [{ candidates: [] }, 'no address and no relay'],
    [{ candidates: [{ host: 'fe80::1%eth0', port: 5950 }] }, 'zone id'],
    [{ candidates: [{ host: '10.0.0.1', port: 70000 }] }, 'at most 65535'],
    [{ requester: { userName: '', computerName: 'X' } }, '"requester.userName" must not be empty'],
    [{ requester: { userName: 'a\u202Eb', computerName: 'X' } }, 'control characters'],
    [{ mode: 'compatibility' as const, candidates: [], relay: { url: 'wss://r.example', pairingId: 'p' } }, '"candidates" must have at least 1 entry'],
  ])('%j', async (over, fragment) => {
    const e = await rejection(createTicket(options(over)));
    expect(e.code).toBe('invalid-input');
    expect(e.message).toContain(fragment);
  });
});

describe('tampering, wrong password, expiry', () => {
  let text: string;
  let compatText: string;
  beforeAll(async () => {
    text = (await createTicket(options())).fileText;
    compatText = (await createTicket(options({ mode: 'compatibility' }))).fileText;
  });

  /** Edits the file as JSON, re-parses it (the edit must still be a well-formed ticket) and opens it with the RIGHT password. */
  async function openEdited(source: string, edit: (t: EditableJson) => void): Promise<AppError> {
    const json = JSON.parse(source) as EditableJson;
    edit(json);
    const ticket = parseTicketFile(JSON.stringify(json, null, 2));
    return rejection(openTicket(ticket, PASSWORD, NOW));
  }

  const tampered = (e: AppError) => {
    expect(e.code).toBe('invalid-input');
    expect(e.details?.reason).toBe('tampered');
    expect(e.message).toMatch(/altered/);
  };

  it.each<[string, (t: EditableJson) => void]>([
    ['expiresAt extended', (t) => (t.expiresAt = '2030-05-05T10:00:00+00:00')],
    ['createdAt moved', (t) => (t.createdAt = '2030-05-04T09:00:00+00:00')],
    ['allowControl flipped', (t) => (t.allowControl = true)],
    ['userName changed', (t) => (t.requester.userName = 'IT Support')],
    ['computerName changed', (t) => (t.requester.computerName = 'HELPDESK')],
    ['id changed', (t) => (t.id = 'AAAAAAAAAAAAAAAAAAAAAA')],
    ['mode encrypted → compatibility with planted addresses', (t) => ((t.mode = 'compatibility'), (t.candidates = [{ host: '203.0.113.66', port: 443 }]))],
    ['ciphertext byte flipped', (t) => (t.sealed.ciphertext = flipFirst(t.sealed.ciphertext))],
    ['GCM tag (last bytes) changed', (t) => (t.sealed.ciphertext = flipLast(t.sealed.ciphertext))],
    ['nonce changed', (t) => (t.sealed.nonce = flipFirst(t.sealed.nonce))],
  ])('%s → tampered', async (_name, edit) => {
    tampered(await openEdited(text, edit));
  });

  it('compatibility: editing the clear addresses or the mode → tampered', async () => {
    tampered(await openEdited(compatText, (t) => (t.candidates[0].host = '203.0.113.66')));
    tampered(await openEdited(compatText, (t) => t.candidates.reverse()));
    tampered(await openEdited(compatText, (t) => ((t.mode = 'encrypted'), delete t.candidates)));
  });

  // Changing the KDF settings or salt changes the derived key, so the right password no longer
  // derives the key the file was sealed with: that is indistinguishable from a wrong password.
  it.each<[string, (t: EditableJson) => void]>([
    ['N', (t) => (t.kdf.N = 2048)],
    ['r', (t) => (t.kdf.r = 4)],
    ['p', (t) => (t.kdf.p = 2)],
    ['salt', (t) => (t.kdf.salt = flipFirst(t.kdf.salt))],
    ['password check', (t) => (t.sealed.keyCheck = flipFirst(t.sealed.keyCheck))],
  ])('kdf %s changed → refused as not matching the password', async (_name, edit) => {
    const e = await openEdited(text, edit);
    expect(e.code).toBe('wrong-password');
  });

  it('reordering keys or re-indenting is not tampering (the associated data is canonical)', async () => {
    const json = JSON.parse(text) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(json).reverse());
    const opened = await openTicket(parseTicketFile(JSON.stringify(reordered)), PASSWORD, NOW);
    expect(opened.candidates).toEqual(CANDIDATES);
    expect(canonicalJson({ b: 1, a: [true, 'x'] })).toBe(canonicalJson({ a: [true, 'x'], b: 1 }));
  });

  it('wrong password → wrong-password with the sentence to show', async () => {
    const ticket = parseTicketFile(text);
    for (const wrong of ['k7mx-3aph-rtwy-4njc', 'totally-wrong', 'k7mx3aphrtwy4nj']) {
      const e = await rejection(openTicket(ticket, wrong, NOW));
      expect(e.code).toBe('wrong-password');
      expect(e.message).toBe('The password does not match this invitation.');
    }
    // Too short to be any invitation's password: refused without running scrypt, same answer.
    expect((await rejection(openTicket(ticket, '', NOW))).code).toBe('wrong-password');
  });

  it('expired → expired, with the local date, how long ago, and expiresAt in details', async () => {
    const ticket = parseTicketFile(text);
    const later = new Date(Date.parse(ticket.expiresAt) + 3 * 3600_000 + 60_000);
    const e = await rejection(openTicket(ticket, PASSWORD, later));
    expect(e.code).toBe('expired');
    expect(e.message).toContain(`expired on ${formatLocalDateTime(new Date(ticket.expiresAt))}`);
    expect(e.message).toContain('(3 hours 1 minute ago)');
    expect(e.message).toContain('Ask for a new invitation.');
    expect(e.details).toEqual({ expiresAt: ticket.expiresAt });
    // Exactly at the expiry time it is over; a second before it is not.
    expect(() => checkExpiry(ticket, new Date(ticket.expiresAt))).toThrow(AppError);
    expect(() => checkExpiry(ticket, new Date(Date.parse(ticket.expiresAt) - 1000))).not.toThrow();
    // unsealTicket ignores expiry (for `ticket inspect`).
    expect((await unsealTicket(ticket, PASSWORD)).candidates).toHaveLength(CANDIDATES.length);
  });

  it('a hand-built Ticket object is re-validated before use', async () => {
    const ticket = parseTicketFile(text);
    const e = await rejection(openTicket({ ...ticket, allowControl: 'yes' as unknown as boolean }, PASSWORD, NOW));
    expect(isAppError(e, 'invalid-input')).toBe(true);
    expect(e.message).toContain('"allowControl" must be true or false');
  });
});

describe('ticketFileName', () => {
  const at = new Date(2030, 4, 4, 9, 7);
  it.each([
    ['ADA-LAPTOP', 'Invitation-ADA-LAPTOP-20300504-0907.rainvite'],
    ['../../etc/passwd', 'Invitation-etc-passwd-20300504-0907.rainvite'],
    ['CON', 'Invitation-CON-20300504-0907.rainvite'],
    ['Bureau de Zoé', 'Invitation-Bureau-de-Zoé-20300504-0907.rainvite'],
    ['a\\b:c*d?"e<f>g|h', 'Invitation-a-b-c-d-e-f-g-h-20300504-0907.rainvite'],
    ['...', 'Invitation-computer-20300504-0907.rainvite'],
    ['x'.repeat(100), `Invitation-${'x'.repeat(40)}-20300504-0907.rainvite`],
  ])('%j → %s', (name, expected) => {
    expect(ticketFileName(name, at)).toBe(expected);
  });
});

function flipFirst(b64: string): string {
  const bytes = Buffer.from(b64, 'base64url');
  bytes[0]! ^= 0x01;
  return bytes.toString('base64url');
}
function flipLast(b64: string): string {
  const bytes = Buffer.from(b64, 'base64url');
  bytes[bytes.length - 1]! ^= 0x80;
  return bytes.toString('base64url');
}
