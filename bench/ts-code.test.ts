import { describe, expect, it } from 'vitest';
import { TS_CODE_PAGE_SCRIPT, tsCode } from './ts-code';

/** Paints a code like the pattern page does: `scale` px per screen px, RGBA, optional noise. */
function paint(value: number, scale = 1, noise = 0): Uint8Array {
  const size = 32 * scale;
  const px = new Uint8Array(size * size * 4);
  const word = tsCode.encode(value);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const cell = Math.floor(y / (8 * scale)) * 4 + Math.floor(x / (8 * scale));
      const v = tsCode.bit(word, cell) ? 255 : 0;
      for (let c = 0; c < 3; c++) px[(y * size + x) * 4 + c] = Math.max(0, Math.min(255, v + Math.round((Math.random() - 0.5) * 2 * noise)));
      px[(y * size + x) * 4 + 3] = 255;
    }
  }
  return px;
}

describe('timestamp code', () => {
  it('round-trips every value through pixels', () => {
    for (let v = 0; v < tsCode.wrap; v++) expect(tsCode.read(paint(v), 32, 32)).toBe(v);
  });

  it('reads a downscaled, noisy code (as a compressed, scaled video frame shows it)', () => {
    for (const v of [0, 1, 777, 4095]) {
      expect(tsCode.read(paint(v, 1, 60), 32, 32)).toBe(v);
      expect(tsCode.read(paint(v, 2, 40), 64, 64)).toBe(v);
    }
  });

  it('refuses blocks that are not a code: uniform black or white, mid-grey, one flipped cell', () => {
    expect(tsCode.read(new Uint8Array(32 * 32 * 4), 32, 32)).toBeNull();
    expect(tsCode.read(new Uint8Array(32 * 32 * 4).fill(255), 32, 32)).toBeNull();
    expect(tsCode.read(new Uint8Array(32 * 32 * 4).fill(128), 32, 32)).toBeNull();
    const word = tsCode.encode(1234);
    for (let bit = 0; bit < 16; bit++) expect(tsCode.decodeWord(word ^ (1 << bit))).toBeNull();
  });

  it('keeps ms modulo the wrap and measures ages across the wrap', () => {
    expect(tsCode.decodeWord(tsCode.encode(1_795_617_295_785))).toBe(1_795_617_295_785 % 4096);
    expect(tsCode.age(4090, 4096 + 10)).toBe(16);
    expect(tsCode.age(100, 100)).toBe(0);
  });

  it('ships a page script that builds the same kit outside this module', () => {
    const g: Record<string, unknown> = {};
    new Function('globalThis', TS_CODE_PAGE_SCRIPT)(g);
    const kit = g.__tsCode as typeof tsCode;
    expect(kit.encode(2024)).toBe(tsCode.encode(2024));
    expect(kit.read(paint(2024), 32, 32)).toBe(2024);
  });
});
