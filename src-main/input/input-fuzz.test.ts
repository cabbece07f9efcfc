import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRemoteInput, isInjectKeyName, NAMED_KEYS, RemoteInputEvent, TextEvent, WHEEL_MAX_NOTCHES } from '../../src-shared/protocol/input';
import { createMemoryLogger } from '../platform/app-logger';
import { InputGate } from './input-gate';
import { RecordingInjector } from './recording-injector';

const RUNS = 10_000;

const number = fc.oneof(
  fc.double(),
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.integer({ min: -25, max: 25 }),
  fc.constantFrom(0, 1, -0, 0.5, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE),
);
const value = fc.oneof(number, fc.string(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));

/** Objects close to real events (right field names, right and wrong values), to reach past the first check. */
const nearEvent = fc.record(
  {
    type: fc.oneof(fc.constantFrom('pointer.move', 'pointer.button', 'pointer.wheel', 'key', 'text'), fc.string()),
    x: fc.oneof(number, value),
    y: fc.oneof(number, value),
    dx: fc.oneof(number, value),
    dy: fc.oneof(number, value),
    button: fc.oneof(fc.constantFrom('left', 'middle', 'right', 'back'), value),
    down: fc.oneof(fc.boolean(), value),
    key: fc.oneof(fc.constantFrom(...NAMED_KEYS, 'a', 'Z', ' ', 'Esc', 'Power', 'é', ''), fc.string({ maxLength: 40 }), value),
    code: fc.oneof(fc.constantFrom('ShiftRight', 'KeyA', 'Key A', ''), value),
    text: fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 70 }), value),
    extra: value,
  },
  { requiredKeys: [] },
);

const keyName = fc.oneof(fc.constantFrom(...NAMED_KEYS, 'a', 'Z', ' ', '~', 'Esc', 'Power', 'é', ''), fc.string({ maxLength: 3 }));
const text = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 70 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 66 }));

/** Events with exactly the right fields and values from around and inside the valid ranges. */
const shapedEvent = fc.oneof(
  fc.record({ type: fc.constant('pointer.move'), x: number, y: number }),
  fc.record({ type: fc.constant('pointer.button'), x: number, y: number, button: fc.constantFrom('left', 'middle', 'right', 'back'), down: fc.boolean() }),
  fc.record({ type: fc.constant('pointer.wheel'), x: number, y: number, dx: number, dy: number }),
  fc.record({ type: fc.constant('key'), key: keyName, code: fc.constantFrom('ShiftRight', 'ControlLeft', 'KeyA', 'Key A'), down: fc.boolean() }, { requiredKeys: ['type', 'key', 'down'] }),
  fc.record({ type: fc.constant('text'), text }),
);

const raw = fc.oneof(fc.jsonValue(), nearEvent, shapedEvent, fc.anything());

/** What an injector may ever receive from the gate over a 1920×1080 screen. */
function expectSafeCall(call: RecordingInjector['calls'][number]): void {
  switch (call.op) {
    case 'moveTo':
      expect(Number.isInteger(call.x) && call.x >= 0 && call.x < 1920).toBe(true);
      expect(Number.isInteger(call.y) && call.y >= 0 && call.y < 1080).toBe(true);
      return;
    case 'wheel':
      for (const d of [call.dx, call.dy]) expect(Number.isInteger(d) && Math.abs(d) <= WHEEL_MAX_NOTCHES).toBe(true);
      return;
    case 'key':
      expect(isInjectKeyName(call.key)).toBe(true);
      return;
    case 'typeText':
      expect(TextEvent.safeParse({ type: 'text', text: call.text }).success).toBe(true);
      return;
    case 'button':
      expect(['left', 'middle', 'right']).toContain(call.button);
      return;
    case 'close':
      throw new Error('the gate never closes the injector');
  }
}

describe('fuzz: RemoteInputEvent decoder and InputGate.handle', () => {
  it('the decoder never throws, and what it accepts is a valid event', () => {
    fc.assert(
      fc.property(raw, (v) => {
        const r = decodeRemoteInput(v);
        if (r.ok) expect(RemoteInputEvent.safeParse(r.event).success).toBe(true);
        else expect(['malformed', 'out-of-range', 'unknown-key']).toContain(r.reason);
      }),
      { numRuns: RUNS },
    );
  });

  it('with control off, handle never throws and never injects', async () => {
    const injector = new RecordingInjector();
    const gate = new InputGate({ injector, logger: createMemoryLogger() });
    fc.assert(
      fc.property(raw, (v) => {
        expect(gate.handle(v)).toEqual({ accepted: false, reason: 'no-control' });
      }),
      { numRuns: RUNS },
    );
    gate.setControl(true);
    gate.setPaused(true);
    fc.assert(
      fc.property(raw, (v) => {
        expect(gate.handle(v)).toEqual({ accepted: false, reason: 'paused' });
      }),
      { numRuns: 1000 },
    );
    await gate.idle();
    expect(injector.calls).toEqual([]);
  });

  it('with control on, handle never throws and the injector only ever sees checked, mapped values', async () => {
    const injector = new RecordingInjector({ width: 1920, height: 1080 });
    const gate = new InputGate({ injector, logger: createMemoryLogger(), burst: 1e9, maxEventsPerSecond: 1e9, maxQueued: 1e9 });
    gate.setControl(true);
    let accepted = 0;
    fc.assert(
      fc.property(raw, (v) => {
        const r = gate.handle(v);
        if (r.accepted) accepted++;
        else expect(['malformed', 'out-of-range', 'unknown-key']).toContain(r.reason);
      }),
      { numRuns: RUNS },
    );
    await gate.idle();
    await gate.releaseAll();
    expect(accepted).toBeGreaterThan(RUNS / 20); // the generators do reach the injector
    expect(injector.calls.length).toBeGreaterThanOrEqual(accepted);
    for (const call of injector.calls) expectSafeCall(call);
  });
});
