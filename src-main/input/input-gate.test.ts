import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../platform/app-logger';
import { InjectedKeyTracker } from './injected-keys';
import { InputGate, mapToDisplay, type InputDrop, type InputGateOptions } from './input-gate';
import { RecordingInjector } from './recording-injector';

function setup(options: Partial<InputGateOptions> = {}) {
  const injector = new RecordingInjector({ width: 1920, height: 1080 });
  const logger = createMemoryLogger();
  const drops: InputDrop[] = [];
  let now = 1000;
  const gate = new InputGate({ injector, logger, onDropped: (d) => drops.push(d), now: () => now, ...options });
  const clock = { advance: (ms: number) => (now += ms), get now() { return now; } };
  return { gate, injector, logger, drops, clock };
}

const move = (x: number, y: number) => ({ type: 'pointer.move', x, y });
const key = (k: string, down: boolean, code?: string) => (code ? { type: 'key', key: k, code, down } : { type: 'key', key: k, down });
const button = (b: string, down: boolean, x = 0.5, y = 0.5) => ({ type: 'pointer.button', x, y, button: b, down });

describe('InputGate: control', () => {
  it('drops everything until control is granted', async () => {
    const { gate, injector, drops, logger } = setup();
    expect(gate.handle(move(0.5, 0.5))).toEqual({ accepted: false, reason: 'no-control' });
    expect(gate.handle(key('a', true))).toEqual({ accepted: false, reason: 'no-control' });
    await gate.idle();
    expect(injector.calls).toEqual([]);
    expect(drops.map((d) => d.reason)).toEqual(['no-control', 'no-control']);
    expect(logger.entries[0]).toMatchObject({ message: 'input gate: event dropped', fields: { reason: 'no-control', type: 'pointer.move' } });
  });

  it('drops while paused and injects again on resume', async () => {
    const { gate, injector, drops } = setup();
    gate.setControl(true);
    gate.setPaused(true);
    expect(gate.handle(move(0, 0))).toEqual({ accepted: false, reason: 'paused' });
    gate.setPaused(false);
    expect(gate.handle(move(0, 0))).toEqual({ accepted: true });
    await gate.idle();
    expect(injector.calls).toEqual([{ op: 'moveTo', x: 0, y: 0 }]);
    expect(drops).toEqual([{ reason: 'paused', type: 'pointer.move' }]);
  });

  it('drops while a consent prompt is open, releasing what was held, and injects again once it is answered', async () => {
    const { gate, injector, drops } = setup();
    gate.setControl(true);
    gate.handle(key('Shift', true, 'ShiftLeft'));
    await gate.idle();
    gate.setPromptOpen(true);
    expect(gate.handle(button('left', true))).toEqual({ accepted: false, reason: 'prompt-open' });
    await gate.idle();
    expect(injector.calls.map((c) => c.op + ('down' in c ? String(c.down) : ''))).toEqual(['keytrue', 'keyfalse']);
    gate.setPromptOpen(false);
    expect(gate.handle(move(0, 0))).toEqual({ accepted: true });
    await gate.idle();
    expect(injector.calls.at(-1)).toEqual({ op: 'moveTo', x: 0, y: 0 });
    expect(drops).toEqual([{ reason: 'prompt-open', type: 'pointer.button' }]);
  });

  it('drops after control is revoked, including events accepted but not yet injected', async () => {
    const { gate, injector } = setup();
    gate.setControl(true);
    expect(gate.handle(move(0.1, 0.1))).toEqual({ accepted: true });
    expect(gate.handle({ type: 'text', text: 'rm -rf ~' })).toEqual({ accepted: true });
    gate.setControl(false); // before the queue ran
    expect(gate.handle(move(0.2, 0.2))).toEqual({ accepted: false, reason: 'no-control' });
    await gate.idle();
    expect(injector.calls).toEqual([]);
  });

  it('drops when the injector is unavailable', () => {
    const { gate, injector } = setup();
    gate.setControl(true);
    injector.available = false;
    expect(gate.handle(move(0, 0))).toEqual({ accepted: false, reason: 'unavailable' });
  });
});

describe('InputGate: validation', () => {
  const cases: [string, unknown, InputDrop['reason']][] = [
    ['not an object', 'pointer.move', 'malformed'],
    ['null', null, 'malformed'],
    ['unknown type', { type: 'exec', cmd: 'sh' }, 'malformed'],
    ['extra field', { type: 'pointer.move', x: 0, y: 0, evil: true }, 'malformed'],
    ['NaN', { type: 'pointer.move', x: NaN, y: 0 }, 'out-of-range'],
    ['Infinity', { type: 'pointer.wheel', x: 0, y: 0, dx: Infinity, dy: 0 }, 'out-of-range'],
    ['x > 1', { type: 'pointer.button', x: 1.5, y: 0, button: 'left', down: true }, 'out-of-range'],
    ['negative y', { type: 'pointer.move', x: 0, y: -0.1 }, 'out-of-range'],
    ['too many notches', { type: 'pointer.wheel', x: 0, y: 0, dx: 0, dy: 1000 }, 'out-of-range'],
    ['unknown key', { type: 'key', key: 'Power', down: true }, 'unknown-key'],
    ['oversized text', { type: 'text', text: 'x'.repeat(65) }, 'out-of-range'],
    ['control character in text', { type: 'text', text: 'a\u001b[2J' }, 'malformed'],
  ];

  it.each(cases)('drops and logs %s', async (_name, raw, expected) => {
    const { gate, injector, drops, logger } = setup();
    gate.setControl(true);
    expect(gate.handle(raw)).toEqual({ accepted: false, reason: expected });
    await gate.idle();
    expect(injector.calls).toEqual([]);
    expect(drops).toHaveLength(1);
    expect(drops[0]?.reason).toBe(expected);
    expect(logger.entries).toEqual([expect.objectContaining({ message: 'input gate: event dropped', fields: expect.objectContaining({ reason: expected }) })]);
  });

  it('never logs what was typed', () => {
    const { gate, logger } = setup();
    gate.setControl(true);
    gate.handle({ type: 'text', text: 'hunter2\u0000' });
    gate.handle({ type: 'key', key: 'hunter2', down: true });
    expect(JSON.stringify(logger.entries)).not.toContain('hunter2');
  });

  it('survives hostile objects (throwing getters) without throwing', () => {
    const { gate, injector } = setup();
    gate.setControl(true);
    const hostile = new Proxy({}, { get: () => { throw new Error('boom'); }, ownKeys: () => { throw new Error('boom'); } });
    expect(gate.handle(hostile)).toMatchObject({ accepted: false });
    expect(injector.calls).toEqual([]);
  });

  it('rate-limits log lines, counting what it left out', () => {
    const { gate, logger, clock } = setup();
    gate.setControl(true);
    for (let i = 0; i < 100; i++) gate.handle({ bad: i });
    expect(logger.entries).toHaveLength(1);
    clock.advance(1000);
    gate.handle({ bad: true });
    expect(logger.entries).toHaveLength(2);
    expect(logger.entries[1]?.fields).toMatchObject({ reason: 'malformed', suppressed: 99 });
  });
});

describe('InputGate: coordinates', () => {
  it('maps normalised coordinates onto the shared monitor, offset within the virtual screen, clamped at the edges', async () => {
    const { gate, injector } = setup();
    gate.setControl(true);
    gate.setDisplayBounds({ x: 1920, y: 0, width: 1280, height: 1024 });
    for (const [x, y] of [[0, 0], [0.5, 0.5], [1, 1], [0.9999, 0.0001]]) gate.handle(move(x!, y!));
    gate.setDisplayBounds({ x: -1280, y: 200, width: 1280, height: 720 }); // a monitor left of the primary
    gate.handle(move(0, 0));
    gate.handle(move(1, 1));
    await gate.idle();
    expect(injector.calls).toEqual([
      { op: 'moveTo', x: 1920, y: 0 },
      { op: 'moveTo', x: 2560, y: 512 },
      { op: 'moveTo', x: 3199, y: 1023 },
      { op: 'moveTo', x: 3199, y: 0 },
      { op: 'moveTo', x: -1280, y: 200 },
      { op: 'moveTo', x: -1, y: 919 },
    ]);
  });

  it('uses the whole screen when no monitor is set', async () => {
    const { gate, injector } = setup();
    gate.setControl(true);
    gate.handle(move(1, 1));
    gate.handle(move(0.25, 0.5));
    await gate.idle();
    expect(injector.calls).toEqual([
      { op: 'moveTo', x: 1919, y: 1079 },
      { op: 'moveTo', x: 480, y: 540 },
    ]);
  });

  it('moves before a button or wheel event', async () => {
    const { gate, injector } = setup();
    gate.setControl(true);
    gate.setDisplayBounds({ x: 0, y: 0, width: 100, height: 100 });
    gate.handle(button('right', true, 0.5, 0.2));
    gate.handle({ type: 'pointer.wheel', x: 0.1, y: 0.1, dx: 0, dy: -3 });
    await gate.idle();
    expect(injector.calls).toEqual([
      { op: 'moveTo', x: 50, y: 20 },
      { op: 'button', button: 'right', down: true },
      { op: 'moveTo', x: 10, y: 10 },
      { op: 'wheel', dx: 0, dy: -3 },
    ]);
  });

  it('refuses bounds that are not finite or empty', () => {
    const { gate } = setup();
    for (const b of [{ x: NaN, y: 0, width: 10, height: 10 }, { x: 0, y: 0, width: 0, height: 10 }, { x: 0, y: Infinity, width: 10, height: 10 }]) {
      expect(() => gate.setDisplayBounds(b)).toThrow(expect.objectContaining({ name: 'AppError', code: 'invalid-input' }));
    }
  });

  it('maps exactly', () => {
    expect(mapToDisplay(0, 0, { x: 10, y: 20, width: 3, height: 3 })).toEqual({ px: 10, py: 20 });
    expect(mapToDisplay(0.34, 0.66, { x: 10, y: 20, width: 3, height: 3 })).toEqual({ px: 11, py: 21 });
    expect(mapToDisplay(1, 1, { x: 10, y: 20, width: 3, height: 3 })).toEqual({ px: 12, py: 22 });
  });
});

describe('InputGate: held keys and buttons', () => {
  const holdSome = (gate: InputGate) => {
    gate.handle(key('Control', true, 'ControlLeft'));
    gate.handle(key('Shift', true, 'ShiftRight'));
    gate.handle(key('a', true, 'KeyA'));
    gate.handle(key('b', true, 'KeyB'));
    gate.handle(key('b', false, 'KeyB')); // released by the helper: not released again
    gate.handle(button('left', true));
  };
  const expectedReleases = [
    { op: 'key', key: 'a', down: false },
    { op: 'key', key: 'ShiftRight', down: false },
    { op: 'key', key: 'ControlLeft', down: false },
    { op: 'button', button: 'left', down: false },
  ];

  for (const [name, end] of [
    ['control is revoked', (g: InputGate) => g.setControl(false)],
    ['a pause begins', (g: InputGate) => g.setPaused(true)],
    ['the link drops (releaseAll)', (g: InputGate) => void g.releaseAll()],
  ] as const) {
    it(`releases everything held when ${name}`, async () => {
      const { gate, injector } = setup();
      gate.setControl(true);
      holdSome(gate);
      await gate.idle();
      injector.clear();
      end(gate);
      await gate.idle();
      expect(injector.calls).toEqual(expectedReleases);
      injector.clear();
      await gate.releaseAll(); // nothing is held any more
      expect(injector.calls).toEqual([]);
    });
  }

  it('releases keys whose press was accepted but not yet injected', async () => {
    const { gate, injector } = setup();
    gate.setControl(true);
    gate.handle(key('Alt', true, 'AltLeft'));
    await gate.releaseAll();
    // The press was discarded with the queue; the release is harmless and guarantees nothing sticks.
    expect(injector.calls).toEqual([{ op: 'key', key: 'AltLeft', down: false }]);
  });

  it('releases a key under the name it was pressed with', async () => {
    const { gate, injector } = setup();
    gate.setControl(true);
    gate.handle(key('a', true, 'KeyA'));
    gate.handle(key('Shift', true, 'ShiftLeft'));
    gate.handle(key('A', false, 'KeyA')); // DOM reports the shifted name on keyup
    gate.handle(key('x', true)); // no code: the name is the identity, case-insensitively
    gate.handle(key('X', false));
    await gate.idle();
    await gate.releaseAll();
    expect(injector.calls).toEqual([
      { op: 'key', key: 'a', down: true },
      { op: 'key', key: 'ShiftLeft', down: true },
      { op: 'key', key: 'a', down: false },
      { op: 'key', key: 'x', down: true },
      { op: 'key', key: 'x', down: false },
      { op: 'key', key: 'ShiftLeft', down: false },
    ]);
  });
});

describe('InputGate: rate limit', () => {
  it('allows a burst, then the sustained rate', async () => {
    const { gate, injector, drops, clock } = setup({ maxEventsPerSecond: 1000, burst: 200 });
    gate.setControl(true);
    const results = Array.from({ length: 300 }, () => gate.handle(move(0.5, 0.5)));
    expect(results.filter((r) => r.accepted)).toHaveLength(200);
    expect(drops).toHaveLength(100);
    expect(drops.every((d) => d.reason === 'rate')).toBe(true);
    clock.advance(50); // 50 more tokens
    expect(Array.from({ length: 60 }, () => gate.handle(move(0.5, 0.5))).filter((r) => r.accepted)).toHaveLength(50);
    await gate.idle();
    expect(injector.calls).toHaveLength(250);
  });

  it('charges text per character', () => {
    const { gate } = setup({ burst: 100 });
    gate.setControl(true);
    expect(gate.handle({ type: 'text', text: 'x'.repeat(64) }).accepted).toBe(true);
    expect(gate.handle({ type: 'text', text: 'x'.repeat(40) })).toEqual({ accepted: false, reason: 'rate' });
    expect(gate.handle({ type: 'text', text: 'x'.repeat(36) }).accepted).toBe(true);
  });

  it('always lets the release of a held key or button through', async () => {
    const { gate, injector } = setup({ burst: 2 });
    gate.setControl(true);
    gate.handle(key('Shift', true));
    gate.handle(button('left', true));
    expect(gate.handle(key('a', true))).toEqual({ accepted: false, reason: 'rate' });
    expect(gate.handle(key('a', false))).toEqual({ accepted: false, reason: 'rate' }); // not held
    expect(gate.handle(key('Shift', false)).accepted).toBe(true);
    expect(gate.handle(button('left', false)).accepted).toBe(true);
    await gate.idle();
    expect(injector.calls.filter((c) => c.op !== 'moveTo')).toEqual([
      { op: 'key', key: 'ShiftLeft', down: true },
      { op: 'button', button: 'left', down: true },
      { op: 'key', key: 'ShiftLeft', down: false },
      { op: 'button', button: 'left', down: false },
    ]);
  });

  it('drops when the injector falls behind', () => {
    const { gate } = setup({ maxQueued: 5, burst: 1000 });
    gate.setControl(true);
    const results = Array.from({ length: 10 }, () => gate.handle(move(0, 0)));
    expect(results.filter((r) => !r.accepted && r.reason === 'rate').length).toBeGreaterThan(0);
  });
});

describe('InputGate: injector failures', () => {
  it('never lets an injection error escape, logs it, and carries on', async () => {
    for (const mode of ['sync', 'async'] as const) {
      const { gate, injector, logger } = setup();
      gate.setControl(true);
      injector.failWith.set('key', mode);
      expect(gate.handle(key('a', true)).accepted).toBe(true);
      await expect(gate.idle()).resolves.toBeUndefined();
      await expect(gate.releaseAll()).resolves.toBeUndefined(); // the release of 'a' fails too
      gate.setControl(false);
      gate.setControl(true);
      expect(gate.handle(move(0, 0)).accepted).toBe(true);
      await gate.idle();
      expect(injector.calls).toEqual([{ op: 'moveTo', x: 0, y: 0 }]);
      expect(logger.entries.find((e) => e.message === 'input gate: injection failed')).toMatchObject({ level: 'error', fields: { op: 'inject' } });
    }
  });

  it('does not propagate a failing screen size or onDropped listener', async () => {
    const injector = new RecordingInjector();
    injector.failWith.set('screenSize', 'async');
    const logger = createMemoryLogger();
    const gate = new InputGate({ injector, logger, onDropped: () => { throw new Error('listener bug'); } });
    expect(gate.handle(move(0, 0))).toEqual({ accepted: false, reason: 'no-control' });
    gate.setControl(true);
    gate.handle(move(0, 0));
    await gate.idle();
    expect(injector.calls).toEqual([]);
    expect(logger.entries.map((e) => e.message)).toContain('input gate: onDropped threw');
  });
});

describe('InputGate + InjectedKeyTracker', () => {
  it("notes the keys it injects, so the helper's Esc is an echo once and a later real Esc is not", async () => {
    const tracker = new InjectedKeyTracker();
    const { gate, clock } = setup({ keyTracker: tracker });
    gate.setControl(true);
    gate.handle(key('Escape', true));
    gate.handle(key('Escape', false));
    await gate.idle();
    clock.advance(30);
    expect(tracker.isEcho('Escape', clock.now)).toBe(true); // the page saw our injected Esc
    clock.advance(40);
    expect(tracker.isEcho('Escape', clock.now)).toBe(false); // the requester pressed Esc: take control back
  });

  it('the injected release of a held key on revoke is noted too', async () => {
    const tracker = new InjectedKeyTracker();
    const { gate, clock } = setup({ keyTracker: tracker });
    gate.setControl(true);
    gate.handle(key('Shift', true, 'ShiftLeft'));
    gate.setControl(false);
    await gate.idle();
    expect(tracker.isEcho('Shift', clock.now, false)).toBe(true);
  });
});
