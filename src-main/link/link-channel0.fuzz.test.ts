/*
 * Property test of the link's own channel 0 (ready, ping, pong, close), which only SecureLink
 * speaks: an authenticated peer seals arbitrary bytes and arbitrary JSON on channel 0 and sends
 * them to a real SecureLink over an in-memory byte stream. For every frame: nothing throws; a
 * header that is not a valid LinkMessage ends the link as 'protocol-error' (channel 0 is never
 * lenient, unlike the app channels); a valid ping is answered with its pong and nothing else
 * changes; a valid close ends the link as 'closed-by-peer' with a sanitised sentence.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinkMessage } from './link-messages';
import type { LinkCloseInfo } from './link-types';
import { FrameOpener, FrameSealer, LINK_CHANNEL_ID } from './record-layer';
import { SecureLink } from './secure-link';
import { memoryStreamPair, randomDirectionKey, testChannelSchemas } from './link-test-helpers';

const RUNS = 10_000;
const toLink = randomDirectionKey();
const fromLink = randomDirectionKey();
const turn = () => new Promise<void>((r) => setImmediate(r));

/** A requester-side link whose peer is the test: it seals frames itself and reads what the link sends. */
function linkUnderTest() {
  const [ours, theirs] = memoryStreamPair();
  const link = new SecureLink({ socket: ours, sendKey: fromLink, recvKey: toLink, localName: 'Rita', peerName: 'Mallory', peerAddress: 'memory', role: 'requester', channelSchemas: testChannelSchemas, logger: () => {}, limits: { closeGraceMs: 10 } });
  const sealer = new FrameSealer(toLink);
  const opener = new FrameOpener(fromLink, { maxFrameBytes: 1 << 20 });
  const sent: unknown[] = [];
  theirs.on('data', (b: Buffer) => {
    opener.push(b);
    for (let f = opener.next(); f; f = opener.next()) if (f.channelId === LINK_CHANNEL_ID) sent.push(JSON.parse(f.header.toString('utf8')));
  });
  theirs.on('error', () => {});
  let closed: LinkCloseInfo | null = null;
  link.onClose((i) => (closed = i));
  return { link, theirs, sealer, sent, closed: () => closed };
}

/** What the header means as a link message, or null when it is not one. */
function expectedMessage(header: Buffer): LinkMessage | null {
  try {
    const parsed = LinkMessage.safeParse(JSON.parse(header.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 20 }), fc.integer(), fc.double(), fc.constant(null));
const nearLinkMessage = fc.record(
  {
    t: fc.oneof(fc.constantFrom('ready', 'ping', 'pong', 'close', 'hello', ''), anyValue),
    n: fc.oneof(fc.nat(), fc.integer(), fc.double(), anyValue),
    message: fc.oneof(fc.string({ maxLength: 1100 }), fc.string({ unit: 'binary', maxLength: 60 }), anyValue),
    refusal: fc.oneof(fc.constantFrom('used', 'cancelled', 'expired', 'locked'), anyValue),
    extra: anyValue,
  },
  { requiredKeys: ['t'] },
);
const shaped = fc.oneof(
  fc.record({ t: fc.constantFrom('ping', 'pong'), n: fc.oneof(fc.nat(), fc.integer(), fc.double()) }),
  fc.record({ t: fc.constant('close'), message: fc.oneof(fc.string({ maxLength: 1100 }), fc.string({ unit: 'binary', maxLength: 60 })), refusal: fc.constantFrom('used', 'cancelled', 'expired', 'locked') }, { requiredKeys: ['t', 'message'] }),
  fc.record({ t: fc.constant('ready') }),
);
const headerBytes = fc.oneof(
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  fc.oneof(nearLinkMessage, shaped).map((v) => Buffer.from(JSON.stringify(v))),
);

describe('fuzz: the link’s channel 0', () => {
  it('arbitrary channel-0 frames: valid ones act, anything else ends the link as a protocol error, nothing throws', async () => {
    const seen = { invalid: 0, ping: 0, close: 0 };
    await fc.assert(
      fc.asyncProperty(headerBytes, fc.option(fc.uint8Array({ minLength: 1, maxLength: 16 }), { nil: undefined }), async (header, body) => {
        const t = linkUnderTest();
        t.theirs.write(Buffer.concat(t.sealer.seal(LINK_CHANNEL_ID, header, body)));
        await turn();
        await turn();
        const msg = expectedMessage(header);
        if (msg === null || msg.t === 'ready') {
          // Not a link message, or one the requester never accepts from a helper.
          seen.invalid++;
          expect(t.closed()?.reason).toBe('protocol-error');
        } else if (msg.t === 'close') {
          seen.close++;
          const info = t.closed();
          expect(info?.reason).toBe('closed-by-peer');
          expect(info!.message.length).toBeLessThanOrEqual(300);
          // eslint-disable-next-line no-control-regex
          expect(info!.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
        } else {
          expect(t.closed()).toBeNull();
          expect(t.link.closed).toBe(false);
          if (msg.t === 'ping') {
            seen.ping++;
            expect(t.sent).toContainEqual({ t: 'pong', n: msg.n });
          }
        }
        t.link.close('end of case');
      }),
      { numRuns: RUNS },
    );
    // Every branch was reached, so the property is not vacuous.
    expect(seen.invalid).toBeGreaterThan(0);
    expect(seen.ping).toBeGreaterThan(0);
    expect(seen.close).toBeGreaterThan(0);
  }, 30_000);
});
