// A burst from an authenticated peer must not monopolise main: the link opens a bounded batch of
// frames per event-loop turn and then yields, so consent prompts, input injection and the page's
// calls keep running while a peer floods. Checked without clocks: work queued by the first message
// handler must run after one batch, not after the whole burst. (The rate limit that then cuts a
// sustained flood off is tested in secure-link.test.ts.)
import { describe, expect, it } from 'vitest';
import { CHANNEL_IDS } from '../../src-shared/protocol/channels';
import { FrameSealer } from './record-layer';
import { SecureLink } from './secure-link';
import { memoryStreamPair, randomDirectionKey, testChannelSchemas } from './link-test-helpers';

describe('secure link fairness', () => {
  it('a burst of 50 000 frames is opened in batches, yielding to other work between them, and none is lost', async () => {
    const toLink = randomDirectionKey();
    const [ours, theirs] = memoryStreamPair();
    theirs.resume(); // discard what the link sends
    const batchFrames = 256;
    // The rate limit is lifted here so that only the batching is under test.
    const link = new SecureLink({ socket: ours, sendKey: randomDirectionKey(), recvKey: toLink, localName: 'Rita', peerName: 'Mallory', peerAddress: 'memory', role: 'requester', channelSchemas: testChannelSchemas, logger: () => {}, limits: { maxFramesPerSecond: 1e9, batchFrames } });
    let delivered = 0;
    let seenByOtherWork = -1;
    const all = new Promise<void>((resolve) =>
      link.channel('control').onMessage(() => {
        if (++delivered === 1) setImmediate(() => (seenByOtherWork = delivered));
        if (delivered === 50_000) resolve();
      }),
    );
    const sealer = new FrameSealer(toLink);
    const header = Buffer.from(JSON.stringify({ kind: 'input', x: 0.5 }));
    theirs.write(Buffer.concat(Array.from({ length: 50_000 }, () => Buffer.concat(sealer.seal(CHANNEL_IDS.control, header)))));
    await all;
    expect(seenByOtherWork).toBeGreaterThan(0);
    expect(seenByOtherWork).toBeLessThanOrEqual(batchFrames);
    expect(link.closed).toBe(false);
    link.close();
  });
});
