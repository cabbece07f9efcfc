import { describe, expect, it } from 'vitest';
import { ECHO_WINDOW_MS, InjectedKeyTracker } from './injected-keys';

describe('InjectedKeyTracker', () => {
  it('takes a local Esc right after an injected one for its echo, once', () => {
    const t = new InjectedKeyTracker();
    t.noteInjected('Escape', true, 1000);
    t.noteInjected('Escape', false, 1005);
    expect(t.isEcho('Escape', 1040)).toBe(true);
    expect(t.isEcho('Escape', 1060)).toBe(false); // a second Esc: the requester's own
  });

  it('does not excuse an Esc after the window', () => {
    const t = new InjectedKeyTracker();
    t.noteInjected('Escape', true, 1000);
    expect(t.isEcho('Escape', 1000 + ECHO_WINDOW_MS + 1)).toBe(false);
  });

  it('matches keydown against keydown only', () => {
    const t = new InjectedKeyTracker();
    t.noteInjected('Escape', false, 1000); // only a release was injected (e.g. releasing a held key)
    expect(t.isEcho('Escape', 1001)).toBe(false);
    expect(t.isEcho('Escape', 1001, false)).toBe(true);
  });

  it('counts each injection once: two injected, two echoes, the third is real', () => {
    const t = new InjectedKeyTracker();
    t.noteInjected('Escape', true, 1000);
    t.noteInjected('Escape', true, 1010);
    expect([t.isEcho('Escape', 1020), t.isEcho('Escape', 1021), t.isEcho('Escape', 1022)]).toEqual([true, true, false]);
  });

  it('compares injector names with DOM names', () => {
    const t = new InjectedKeyTracker();
    t.noteInjected('ShiftRight', true, 0);
    t.noteInjected('Escape', true, 0);
    expect(t.isEcho('Shift', 10)).toBe(true);
    expect(t.isEcho('Esc', 10)).toBe(true);
    expect(t.isEcho('a', 10)).toBe(false);
  });

  it('forgets on clear and stays bounded when nobody asks', () => {
    const t = new InjectedKeyTracker();
    t.noteInjected('Escape', true, 0);
    t.clear();
    expect(t.isEcho('Escape', 1)).toBe(false);
    for (let i = 0; i < 10_000; i++) t.noteInjected('a', true, 5000);
    t.noteInjected('Escape', true, 5000);
    expect(t.isEcho('Escape', 5001)).toBe(true);
  });
});
