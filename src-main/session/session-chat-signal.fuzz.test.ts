/*
 * Property tests of the session's chat and signal decoders as the sessions use them: arbitrary headers sent
 * by a raw peer over a memory link into a real SessionService (ChatService and the signal relay of both roles, the real InputGate with a
 * recording injector). For every header: nothing throws, and a header the channel's schema refuses
 * changes nothing at all — no state, no audit line, no page event, no injected input, no reply.
 * (The secure link checks the same schemas first; that layer is absent here on purpose, so the
 * sessions' own checks are what is tested. The property itself: testing/session-fuzz.ts.)
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ChatMessage, SignalMessage } from '../../src-shared/protocol/control';
import { cleanUp, fuzzChannel, nearChat, nearSignal, shapedChat, shapedSignal } from './testing/session-fuzz';

afterAll(cleanUp);

describe('fuzz: chat and signal headers into the sessions', () => {
  it.each(['requester', 'helper'] as const)('%s: chat headers from the peer (10 000 cases)', async (side) => {
    const r = await fuzzChannel(side, 'chat', ChatMessage, fc.oneof(nearChat, shapedChat));
    expect(r.valid).toBeGreaterThan(0);
  }, 30_000);

  it.each(['requester', 'helper'] as const)('%s: signal headers from the peer (10 000 cases)', async (side) => {
    const r = await fuzzChannel(side, 'signal', SignalMessage, fc.oneof(nearSignal, shapedSignal));
    expect(r.valid).toBeGreaterThan(0);
  }, 30_000);
});
