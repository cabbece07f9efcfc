// parseTicketFile meets arbitrary input: it may refuse, but only with an AppError, and whatever it
// accepts is a ticket that passes the schema. No scrypt runs in here (parsing never derives a key).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/contract/errors';
import { createTicket, parseTicketFile } from './ticket-codec';
import { TicketSchema } from './ticket-schema';

let validText: string;
let validJson: Record<string, unknown>;
beforeAll(async () => {
  const made = await createTicket({
    password: 'fuzz-password',
    requester: { userName: 'fuzz', computerName: 'FUZZ-PC' },
    allowControl: true,
    mode: 'compatibility',
    candidates: [
      { host: '10.0.0.1', port: 5950 },
      { host: 'fd00::1', port: 5950 },
    ],
    lifetimeMinutes: 60,
    kdf: { N: 1024, r: 1, p: 1 },
  });
  validText = made.fileText;
  validJson = JSON.parse(validText) as Record<string, unknown>;
});

/** Runs the parser; fails the property on anything but success or an AppError. */
function parsesOrRefusesCleanly(input: string | Uint8Array): boolean {
  try {
    const ticket = parseTicketFile(input);
    return TicketSchema.safeParse(ticket).success;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return e.code === 'invalid-input' && typeof e.message === 'string' && e.message.length > 0 && !/[\r\n]/.test(e.message);
  }
}

// Every path to a value in the ticket, e.g. ['kdf', 'N'] or ['candidates', 1, 'host'].
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths((value as Record<string | number, unknown>)[k], [...prefix, k]))];
}

function replaced(root: unknown, path: (string | number)[], value: unknown, remove: boolean): unknown {
  if (path.length === 0) return value;
  const copy: Record<string | number, unknown> = structuredClone(root) as Record<string | number, unknown>;
  let target = copy;
  for (const k of path.slice(0, -1)) target = target[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove && !Array.isArray(target)) delete target[last];
  else target[last] = value;
  return copy;
}

describe('parseTicketFile never throws anything but AppError', () => {
  it('arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), parsesOrRefusesCleanly), { numRuns: 10_000 });
  });

  it('arbitrary strings that start like a ticket', () => {
    const prefix = fc.constantFrom('{', '{"format":"remote-assist-invitation",', '<', '\uFEFF{', '[');
    fc.assert(fc.property(prefix, fc.string({ unit: 'grapheme-ascii', maxLength: 200 }), (p, s) => parsesOrRefusesCleanly(p + s)), { numRuns: 10_000 });
  });

  it('arbitrary bytes (with and without BOMs)', () => {
    const bom = fc.constantFrom([], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]);
    fc.assert(fc.property(bom, fc.uint8Array({ maxLength: 400 }), (b, bytes) => parsesOrRefusesCleanly(Uint8Array.from([...b, ...bytes]))), { numRuns: 10_000 });
  });

  it('valid tickets with one field replaced by arbitrary JSON, or removed', () => {
    const all = paths(validJson);
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.jsonValue({ maxDepth: 3 }), fc.boolean(), (path, value, remove) => parsesOrRefusesCleanly(JSON.stringify(replaced(validJson, path, value, remove)))),
      { numRuns: 10_000 },
    );
  });

  it('valid tickets with a few characters of the text changed', () => {
    const edit = fc.record({ at: fc.nat(), cut: fc.nat({ max: 8 }), insert: fc.string({ maxLength: 8 }) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let text = validText;
        for (const { at, cut, insert } of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + insert + text.slice(i + cut);
        }
        return parsesOrRefusesCleanly(text);
      }),
      { numRuns: 10_000 },
    );
  });

  it('the unmodified ticket parses (so the properties above are not vacuous)', () => {
    expect(parsesOrRefusesCleanly(validText)).toBe(true);
    expect(parseTicketFile(validText).id).toBe(validJson.id);
  });
});
