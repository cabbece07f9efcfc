/*
 * Property tests of the session's control-channel decoders as the sessions use them: arbitrary headers sent
 * by a raw peer over a memory link into a real SessionService (RequesterSession and HelperSession, the real InputGate with a
 * recording injector). For every header: nothing throws, and a header the channel's schema refuses
 * changes nothing at all — no state, no audit line, no page event, no injected input, no reply.
 * (The secure link checks the same schemas first; that layer is absent here on purpose, so the
 * sessions' own checks are what is tested. The property itself: testing/session-fuzz.ts.)
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ControlMessage } from '../../src-shared/protocol/control';
import { cleanUp, fuzzChannel, nearControl, shapedControl } from './testing/session-fuzz';

afterAll(cleanUp);

describe('fuzz: control headers into the sessions', () => {
  it.each(['requester', 'helper'] as const)('%s: control headers from the other side (10 000 cases)', async (side) => {
    const r = await fuzzChannel(side, 'control', ControlMessage, fc.oneof(nearControl, shapedControl));
    expect(r.valid).toBeGreaterThan(0); // the generators reach valid messages too
  }, 30_000);
});
