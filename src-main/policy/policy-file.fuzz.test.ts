import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { PartialSettingsSchema } from '../../src-shared/settings/settings-schema';
import { scanJson } from './json-scan';
import { PolicyError } from './policy-error';
import { parsePolicyDocument } from './policy-file';

const REPO = path.resolve(import.meta.dirname, '../..');
const EXAMPLE = fs.readFileSync(path.join(REPO, 'docs', 'policy.example.json'), 'utf8');

/** Random edits of a valid document: insert, delete, replace, duplicate a slice. */
const mutated = (doc: string) =>
  fc.array(fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.constantFrom('insert', 'delete', 'replace', 'dup'), fc.string({ unit: 'binary', maxLength: 6 })), { minLength: 1, maxLength: 4 }).map((edits) => {
    let s = doc;
    for (const [pos, len, op, text] of edits) {
      const at = pos % (s.length + 1);
      if (op === 'insert') s = s.slice(0, at) + text + s.slice(at);
      else if (op === 'delete') s = s.slice(0, at) + s.slice(at + len);
      else if (op === 'replace') s = s.slice(0, at) + text + s.slice(at + text.length);
      else s = s.slice(0, at) + s.slice(at, at + len) + s.slice(at);
    }
    return s;
  });

/** A plain assertion: vitest's expect costs far more per call than the parsers under test. */
function assert(cond: boolean, what: string, input: string): void {
  if (!cond) throw new Error(`${what} for input ${JSON.stringify(input.slice(0, 200))}`);
}

/** Runs the policy parser; only PolicyError may escape, and a success must be a valid partial settings object. */
function checkPolicy(text: string): void {
  try {
    const s = parsePolicyDocument(text, '/etc/remote-assist/policy.json');
    assert(PartialSettingsSchema.safeParse(s).success, 'accepted settings that do not satisfy the schema', text);
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    assert(e.message.startsWith('/etc/remote-assist/policy.json'), 'error message does not name the file', text);
    if (e.position) assert(e.position.line >= 1 && e.position.column >= 1, 'bad position', text);
  }
}

/** The scanner must agree with JSON.parse on what is valid JSON. */
function checkScanner(text: string): void {
  let valid = true;
  try {
    JSON.parse(text);
  } catch {
    valid = false;
  }
  const err = scanJson(text).error;
  assert((err === null) === valid, `scanner says ${err ? 'invalid' : 'valid'}, JSON.parse disagrees`, text);
  if (err) assert(err.offset >= 0 && err.offset <= text.length, 'error offset out of range', text);
}

describe('policy file parser (fast-check)', () => {
  it('arbitrary strings: only PolicyError, and the scanner agrees with JSON.parse', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (t) => {
        checkScanner(t);
        checkPolicy(t);
      }),
      { numRuns: 10_000 },
    );
  });

  it('arbitrary JSON values: the scanner accepts them; the parser validates them', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 3 }), (t, settings) => {
        checkScanner(t);
        checkPolicy(t);
        checkPolicy(JSON.stringify({ version: 1, settings }));
      }),
      { numRuns: 5_000 },
    );
  });

  it('mutations of the example policy: only PolicyError', () => {
    fc.assert(
      fc.property(mutated(EXAMPLE), (t) => {
        checkScanner(t);
        checkPolicy(t);
      }),
      { numRuns: 10_000 },
    );
  });

  it('any valid combination of settings round-trips exactly', () => {
    const settings = fc.record(
      {
        allowInvitations: fc.boolean(),
        allowOffers: fc.boolean(),
        maxInvitationMinutes: fc.integer({ min: 1, max: 43200 }),
        offerListenerPort: fc.integer({ min: 1024, max: 65535 }),
        viewMessage: fc.string({ maxLength: 50 }),
        offerHelpers: fc.array(fc.record({ name: fc.stringMatching(/^[A-Za-z\\][A-Za-z .()\\-]{0,19}$/), fingerprint: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9:+/=_.-]{7,40}$/) }, { noNullPrototype: true }), { maxLength: 3 }),
        relayUrl: fc.constantFrom(null, 'wss://relay.example.org/ra', 'https://r.example:8443'),
      },
      { requiredKeys: [], noNullPrototype: true },
    );
    fc.assert(
      fc.property(settings, fc.boolean(), (s, pretty) => {
        const text = JSON.stringify({ version: 1, settings: s }, null, pretty ? 2 : 0);
        assert(isDeepStrictEqual(parsePolicyDocument(text, 'p'), s), 'did not round-trip', text);
      }),
      { numRuns: 2_000 },
    );
  });
});

