// The timestamp code: a 32×32 px block at screen (0,0) — one x11vnc tile — that the pattern page
// repaints every frame with the time it painted it. Every viewer (our helper page, the RFB client,
// the Xvfb probe) reads it back from pixels, so latency is measured from pixels, not from logs.
//
// Layout: 4×4 cells of 8×8 px, black (0) or white (1), row-major, most significant bit first.
// 16 bits = 12 bits of the paint time in ms modulo 4096 + a 4-bit check. Cells are 8 px wide so
// they survive VP8 (8×8 blocks, chroma subsampling) and a 2× downscale; the check rejects blurred
// or half-painted codes, and all-black/all-white blocks (which a naïve check would accept).

/** The kit of pure functions, built by one self-contained function so pages can run it too. */
export interface TsCodeKit {
  /** Side of the code block in screen pixels. */
  readonly size: number;
  /** Cells per side. */
  readonly cells: number;
  /** The code value wraps at this many ms. */
  readonly wrap: number;
  /** The 16-bit word for a time in ms (any epoch; only ms mod `wrap` is kept). */
  encode(ms: number): number;
  /** The 12-bit time value of a word, or null when its check fails. */
  decodeWord(word: number): number | null;
  /** Bit `i` (0 = top-left cell) of a word. */
  bit(word: number, i: number): boolean;
  /**
   * Reads a code from pixels: `w`×`h` pixels covering exactly the code block, 4 bytes per pixel
   * (RGBA or BGRA/BGRX — only the mean of the first three bytes is used), rows `stride` bytes
   * apart. Null when a cell is neither clearly dark nor clearly light, or the check fails.
   */
  read(px: ArrayLike<number>, w: number, h: number, stride?: number): number | null;
  /** ms from a code value to `nowMs`, assuming less than one wrap (4.096 s) passed. */
  age(code: number, nowMs: number): number;
}

/**
 * Builds the kit. It references nothing outside its own body, so `tsCodeKit.toString()` can be
 * evaluated in a page (see `TS_CODE_PAGE_SCRIPT`) — one source for the painter and all readers.
 */
export function tsCodeKit(): TsCodeKit {
  const size = 32;
  const cells = 4;
  const wrap = 4096;
  const check = (v: number) => ((v ^ (v >> 4) ^ (v >> 8)) & 0xf) ^ 0xa;
  const encode = (ms: number) => {
    const v = ((Math.round(ms) % wrap) + wrap) % wrap;
    return (v << 4) | check(v);
  };
  const decodeWord = (word: number) => {
    const v = (word >> 4) & 0xfff;
    return (word & 0xf) === check(v) ? v : null;
  };
  const bit = (word: number, i: number) => ((word >> (15 - i)) & 1) === 1;
  const read = (px: ArrayLike<number>, w: number, h: number, stride = w * 4) => {
    let word = 0;
    for (let cy = 0; cy < cells; cy++) {
      for (let cx = 0; cx < cells; cx++) {
        // The middle half of the cell: edges bleed into neighbours after scaling or compression.
        const x0 = Math.floor(((cx + 0.25) * w) / cells);
        const x1 = Math.max(x0 + 1, Math.floor(((cx + 0.75) * w) / cells));
        const y0 = Math.floor(((cy + 0.25) * h) / cells);
        const y1 = Math.max(y0 + 1, Math.floor(((cy + 0.75) * h) / cells));
        let sum = 0;
        let n = 0;
        for (let y = y0; y < y1; y++) {
          for (let x = x0; x < x1; x++) {
            const o = y * stride + x * 4;
            sum += (px[o]! + px[o + 1]! + px[o + 2]!) / 3;
            n++;
          }
        }
        const mean = sum / n;
        if (mean > 96 && mean < 160) return null;
        word = (word << 1) | (mean >= 160 ? 1 : 0);
      }
    }
    return decodeWord(word);
  };
  const age = (code: number, nowMs: number) => (((Math.round(nowMs) - code) % wrap) + wrap) % wrap;
  return { size, cells, wrap, encode, decodeWord, bit, read, age };
}

/** The kit for Node-side readers (the Xvfb probe, the RFB client). */
export const tsCode: TsCodeKit = tsCodeKit();

/**
 * A page script that defines `globalThis.__tsCode`. `__name` is esbuild's keep-names helper, which
 * tsx inserts into function bodies; pages do not have it, so it is defined as the identity.
 */
export const TS_CODE_PAGE_SCRIPT = `globalThis.__name ??= (f) => f; globalThis.__tsCode = (${tsCodeKit.toString()})();`;
