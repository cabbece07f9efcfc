import { describe, expect, it } from 'vitest';
import { indexKeymap, isCharacterKey, keysymForCodePoint, keysymsForKey } from './x11-keysyms';

describe('x11 keysyms', () => {
  it('maps characters to keysyms: Latin-1 directly, the rest as Unicode keysyms', () => {
    expect(keysymForCodePoint('a'.codePointAt(0)!)).toBe(0x61);
    expect(keysymForCodePoint(0xe9)).toBe(0xe9); // é
    expect(keysymForCodePoint(0x20ac)).toBe(0x10020ac); // €
    expect(keysymForCodePoint(0x1f600)).toBe(0x101f600);
    expect(keysymsForKey('A')).toEqual([0x41]);
    expect(keysymsForKey('Escape')).toEqual([0xff1b]);
    expect(keysymsForKey('ShiftRight')).toEqual([0xffe2, 0xffe1]);
    expect(keysymsForKey('MetaLeft')[0]).toBe(0xffeb); // Super_L, not X's Meta
    expect(isCharacterKey('a')).toBe(true);
    expect(isCharacterKey('Tab')).toBe(false);
  });

  it('indexes a keymap: unshifted level first, lowest keycode wins, a lone letter means both cases', () => {
    const rows = [
      [0x31, 0x21], // 10: 1 !
      [0x71, 0], // 11: q (Q implied)
      [0x3c, 0x3e], // 12: < >
      [0x2c, 0x3c], // 13: , <  (the unshifted '<' on 12 wins)
      [0xff0d, 0], // 14: Return
      [0xff09, 0xfe20], // 15: Tab ISO_Left_Tab
    ];
    const index = indexKeymap(rows, 10);
    expect(index.get(0x31)).toEqual({ keycode: 10, level: 0, alpha: false });
    expect(index.get(0x21)).toEqual({ keycode: 10, level: 1, alpha: false });
    expect(index.get(0x71)).toEqual({ keycode: 11, level: 0, alpha: true });
    expect(index.get(0x51)).toEqual({ keycode: 11, level: 1, alpha: true });
    expect(index.get(0x3c)).toEqual({ keycode: 12, level: 0, alpha: false });
    expect(index.get(0xff0d)).toEqual({ keycode: 14, level: null, alpha: false });
    expect(index.get(0xff09)).toEqual({ keycode: 15, level: 0, alpha: false });
    expect(index.has(0)).toBe(false);
  });
});
