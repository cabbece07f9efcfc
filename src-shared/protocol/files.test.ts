import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFilesMessage, FILE_CHUNK_BYTES, FilesMessage } from './files';

const id = 'AAAAAAAAAAAAAAAAAAAAAA';
const sha = 'a'.repeat(64);
const body = new Uint8Array(10);

describe('files-channel messages', () => {
  it('accepts each well-formed message', () => {
    const ok: [object, Uint8Array?][] = [
      [{ type: 'offer', transferId: id, name: 'a.txt', size: 0 }],
      [{ type: 'offer', transferId: id, name: 'a.txt', size: 5, mime: 'text/plain' }],
      [{ type: 'accept', transferId: id }],
      [{ type: 'decline', transferId: id, reason: 'no' }],
      [{ type: 'chunk', transferId: id, index: 0, offset: 0, sha256: sha }, body],
      [{ type: 'ack', transferId: id, index: 3 }],
      [{ type: 'done', transferId: id, sha256: sha }],
      [{ type: 'complete', transferId: id }],
      [{ type: 'cancel', transferId: id, by: 'receiver', reason: 'x' }],
      [{ type: 'error', transferId: id, reason: 'x' }],
    ];
    for (const [h, b] of ok) expect(decodeFilesMessage(h, b), JSON.stringify(h)).toMatchObject({ ok: true });
  });

  it.each([
    ['unknown key', { type: 'accept', transferId: id, extra: 1 }, undefined],
    ['short id (< 96 bits)', { type: 'accept', transferId: 'abc' }, undefined],
    ['id with a slash', { type: 'accept', transferId: 'AAAAAAAAAAAAAAA/AAAAAA' }, undefined],
    ['upper-case hash', { type: 'done', transferId: id, sha256: 'A'.repeat(64) }, undefined],
    ['short hash', { type: 'chunk', transferId: id, index: 0, offset: 0, sha256: 'a'.repeat(63) }, body],
    ['done without the whole-file hash', { type: 'done', transferId: id }, undefined],
    // The whole-file hash travels in `done` only: one source of truth for the receiver to check.
    ['hash in the offer', { type: 'offer', transferId: id, name: 'a', size: 1, sha256: sha }, undefined],
    ['negative size', { type: 'offer', transferId: id, name: 'a', size: -1 }, undefined],
    ['fractional size', { type: 'offer', transferId: id, name: 'a', size: 1.5 }, undefined],
    ['unsafe size', { type: 'offer', transferId: id, name: 'a', size: 2 ** 60 }, undefined],
    ['empty name', { type: 'offer', transferId: id, name: '', size: 1 }, undefined],
    ['huge name', { type: 'offer', transferId: id, name: 'a'.repeat(1025), size: 1 }, undefined],
    ['bad mime', { type: 'offer', transferId: id, name: 'a', size: 1, mime: 'text/html; x' }, undefined],
    ['chunk without body', { type: 'chunk', transferId: id, index: 0, offset: 0, sha256: sha }, undefined],
    ['empty chunk', { type: 'chunk', transferId: id, index: 0, offset: 0, sha256: sha }, new Uint8Array(0)],
    ['oversized chunk', { type: 'chunk', transferId: id, index: 0, offset: 0, sha256: sha }, new Uint8Array(FILE_CHUNK_BYTES + 1)],
    ['body on accept', { type: 'accept', transferId: id }, body],
    ['bad cancel role', { type: 'cancel', transferId: id, by: 'someone', reason: 'x' }, undefined],
    ['empty reason', { type: 'decline', transferId: id, reason: '' }, undefined],
    ['NaN index', { type: 'ack', transferId: id, index: NaN }, undefined],
    ['Infinity offset', { type: 'chunk', transferId: id, index: 0, offset: Infinity, sha256: sha }, body],
    ['unknown type', { type: 'delete', transferId: id }, undefined],
    ['array', [1, 2], undefined],
    ['null', null, undefined],
  ])('rejects %s', (_what, header, b) => {
    expect(decodeFilesMessage(header, b).ok).toBe(false);
  });

  it('keeps a salvageable transfer id and type so the transfer can be ended', () => {
    expect(decodeFilesMessage({ type: 'chunk', transferId: id, index: -1, offset: 0, sha256: sha }, body)).toEqual({
      ok: false,
      error: 'malformed chunk message',
      type: 'chunk',
      transferId: id,
    });
    expect(decodeFilesMessage({ type: 'bogus', transferId: 'x' }, undefined)).toEqual({ ok: false, error: 'malformed files message' });
  });

  it('survives hostile headers (throwing getters)', () => {
    const evil = Object.defineProperty({}, 'type', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(decodeFilesMessage(evil, undefined).ok).toBe(false);
  });

  it('fuzz: never throws, and whatever it accepts matches the schema and body rules', () => {
    const hdr = fc.oneof(
      fc.anything(),
      fc.record(
        {
          type: fc.constantFrom('offer', 'accept', 'decline', 'chunk', 'ack', 'done', 'complete', 'cancel', 'error', 'x'),
          transferId: fc.oneof(fc.constant(id), fc.string()),
          name: fc.string(),
          size: fc.oneof(fc.integer(), fc.double()),
          index: fc.oneof(fc.nat(), fc.integer(), fc.double()),
          offset: fc.oneof(fc.nat(), fc.double()),
          sha256: fc.oneof(fc.constant(sha), fc.string()),
          reason: fc.string(),
          by: fc.constantFrom('sender', 'receiver', 'x'),
        },
        { requiredKeys: ['type'] },
      ),
    );
    const bodies = fc.oneof(fc.constant(undefined), fc.uint8Array({ maxLength: 64 }), fc.anything());
    fc.assert(
      fc.property(hdr, bodies, (h, b) => {
        const r = decodeFilesMessage(h, b);
        if (r.ok) {
          expect(FilesMessage.safeParse(r.message).success).toBe(true);
          if (r.message.type === 'chunk') expect(r.body?.byteLength).toBeGreaterThan(0);
          else expect(b).toBeUndefined();
        }
      }),
      { numRuns: 10_000 },
    );
  });
});
