import { describe, expect, it } from 'vitest';
import {
  decodeRemoteInput,
  isAllowedKeyName,
  isInjectKeyName,
  NAMED_KEYS,
  normaliseKeyName,
  RemoteInputEvent,
  resolveInjectKey,
  TEXT_MAX_CHARS,
  WHEEL_MAX_NOTCHES,
} from './input';

const reason = (raw: unknown) => {
  const r = decodeRemoteInput(raw);
  return r.ok ? 'ok' : r.reason;
};

describe('RemoteInputEvent', () => {
  it('accepts one well-formed event of each type', () => {
    const events = [
      { type: 'pointer.move', x: 0, y: 1 },
      { type: 'pointer.button', x: 0.5, y: 0.5, button: 'middle', down: true },
      { type: 'pointer.wheel', x: 0.1, y: 0.9, dx: -WHEEL_MAX_NOTCHES, dy: WHEEL_MAX_NOTCHES },
      { type: 'key', key: 'Escape', down: false },
      { type: 'key', key: 'Shift', code: 'ShiftRight', down: true },
      { type: 'text', text: 'héllo 世界 👋' },
    ];
    for (const e of events) expect(decodeRemoteInput(e)).toEqual({ ok: true, event: e });
  });

  it('classifies numbers outside their range, NaN and Infinity as out-of-range', () => {
    for (const bad of [NaN, Infinity, -Infinity, -0.0001, 1.0001, 1e308]) {
      expect(reason({ type: 'pointer.move', x: bad, y: 0.5 })).toBe('out-of-range');
      expect(reason({ type: 'pointer.button', x: 0.5, y: bad, button: 'left', down: true })).toBe('out-of-range');
    }
    expect(reason({ type: 'pointer.wheel', x: 0, y: 0, dx: 0, dy: WHEEL_MAX_NOTCHES + 1 })).toBe('out-of-range');
    expect(reason({ type: 'pointer.wheel', x: 0, y: 0, dx: NaN, dy: 0 })).toBe('out-of-range');
  });

  it('rejects wrong shapes as malformed: extra fields, wrong types, unknown types, fractional notches', () => {
    expect(reason({ type: 'pointer.move', x: 0.5, y: 0.5, extra: 1 })).toBe('malformed');
    expect(reason({ type: 'pointer.move', x: '0.5', y: 0.5 })).toBe('malformed');
    expect(reason({ type: 'pointer.move', x: 0.5 })).toBe('malformed');
    expect(reason({ type: 'pointer.button', x: 0, y: 0, button: 'back', down: true })).toBe('malformed');
    expect(reason({ type: 'pointer.wheel', x: 0, y: 0, dx: 0.5, dy: 0 })).toBe('malformed');
    expect(reason({ type: 'key', key: 'a', down: 'yes' })).toBe('malformed');
    expect(reason({ type: 'key', key: 'a', code: 'Key A', down: true })).toBe('malformed');
    expect(reason({ type: 'shell', cmd: 'rm -rf /' })).toBe('malformed');
    for (const v of [null, undefined, 42, 'pointer.move', [], [{ type: 'pointer.move', x: 0, y: 0 }]]) expect(reason(v)).toBe('malformed');
  });

  it('rejects keys off the allow-list as unknown-key', () => {
    for (const key of ['Power', 'Sleep', 'LogOff', 'AudioVolumeUp', 'F13', 'é', '€', 'ab', '', '\n', 'Unidentified', 'x'.repeat(100)]) {
      expect(reason({ type: 'key', key, down: true }), key).toBe('unknown-key');
    }
  });

  it('bounds text: length in code points, no control characters, separators or lone surrogates', () => {
    expect(reason({ type: 'text', text: '😀'.repeat(TEXT_MAX_CHARS) })).toBe('ok'); // 128 UTF-16 units, 64 characters
    expect(reason({ type: 'text', text: 'a'.repeat(TEXT_MAX_CHARS + 1) })).toBe('out-of-range');
    expect(reason({ type: 'text', text: '😀'.repeat(TEXT_MAX_CHARS + 1) })).toBe('out-of-range');
    for (const text of ['', 'a\nb', 'tab\t', '\u0000', '\u007f', '\u009b', 'x\u2028', '\ud800', 'a\udc00b']) {
      expect(reason({ type: 'text', text }), JSON.stringify(text)).toBe('malformed');
    }
  });

  it('names fields, never values, in the failure detail', () => {
    const r = decodeRemoteInput({ type: 'text', text: 'secret\u0007password' });
    expect(r).toMatchObject({ ok: false, detail: 'text' });
    expect(JSON.stringify(r)).not.toContain('secret');
  });

  it('is the same schema the helper uses to build events', () => {
    expect(RemoteInputEvent.safeParse({ type: 'key', key: 'Tab', down: true }).success).toBe(true);
    expect(RemoteInputEvent.safeParse({ type: 'key', key: 'Power', down: true }).success).toBe(false);
  });
});

describe('key names', () => {
  it('allows printable ASCII and the named keys, case-sensitive for characters', () => {
    for (let c = 0x20; c <= 0x7e; c++) expect(normaliseKeyName(String.fromCharCode(c))).toBe(String.fromCharCode(c));
    for (const k of NAMED_KEYS) expect(isAllowedKeyName(k)).toBe(true);
    expect(normaliseKeyName('A')).toBe('A');
    expect(normaliseKeyName('\u007f')).toBeNull();
  });

  it('normalises legacy spellings and case of named keys', () => {
    expect(normaliseKeyName('Esc')).toBe('Escape');
    expect(normaliseKeyName('escape')).toBe('Escape');
    expect(normaliseKeyName('Spacebar')).toBe(' ');
    expect(normaliseKeyName('Left')).toBe('ArrowLeft');
    expect(normaliseKeyName('OS')).toBe('Meta');
    expect(normaliseKeyName('Apps')).toBe('ContextMenu');
    expect(normaliseKeyName('Power')).toBeNull();
  });

  it('makes modifiers sided from the DOM code, left by default', () => {
    expect(resolveInjectKey('Shift', 'ShiftRight')).toBe('ShiftRight');
    expect(resolveInjectKey('Shift', 'ShiftLeft')).toBe('ShiftLeft');
    expect(resolveInjectKey('Control')).toBe('ControlLeft');
    expect(resolveInjectKey('Meta', 'MetaRight')).toBe('MetaRight');
    expect(resolveInjectKey('Alt', 'KeyA')).toBe('AltLeft');
    expect(resolveInjectKey('a', 'KeyA')).toBe('a');
    expect(resolveInjectKey('Esc')).toBe('Escape');
    expect(resolveInjectKey('Power')).toBeNull();
  });

  it('knows which names an injector accepts', () => {
    for (const n of ['a', 'Z', ' ', 'Escape', 'ShiftRight', 'MetaLeft', 'F12']) expect(isInjectKeyName(n), n).toBe(true);
    for (const n of ['Shift', 'Esc', 'Power', 'é', '', 'ShiftMiddle']) expect(isInjectKeyName(n), n).toBe(false);
  });
});
