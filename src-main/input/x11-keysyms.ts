/**
 * Key names (src-shared/protocol/input) → X11 keysyms (X11/keysymdef.h), and the rules Xlib uses
 * to read a core keyboard mapping. Pure data and functions, so the XTest injector stays about
 * talking to the server.
 */

/** Keysyms for named keys, best first: the first one present in the server's keymap is pressed. */
const NAMED_KEYSYMS: Readonly<Record<string, readonly number[]>> = {
  Enter: [0xff0d], // Return
  Tab: [0xff09],
  Backspace: [0xff08],
  Delete: [0xffff],
  Escape: [0xff1b],
  Insert: [0xff63],
  ArrowLeft: [0xff51],
  ArrowUp: [0xff52],
  ArrowRight: [0xff53],
  ArrowDown: [0xff54],
  Home: [0xff50],
  End: [0xff57],
  PageUp: [0xff55], // Prior
  PageDown: [0xff56], // Next
  F1: [0xffbe], F2: [0xffbf], F3: [0xffc0], F4: [0xffc1], F5: [0xffc2], F6: [0xffc3],
  F7: [0xffc4], F8: [0xffc5], F9: [0xffc6], F10: [0xffc7], F11: [0xffc8], F12: [0xffc9],
  ShiftLeft: [0xffe1],
  ShiftRight: [0xffe2, 0xffe1],
  ControlLeft: [0xffe3],
  ControlRight: [0xffe4, 0xffe3],
  AltLeft: [0xffe9], // Alt_L
  AltRight: [0xffea, 0xffe9],
  // DOM "Meta" is the Windows/Super key on Linux (not X's Meta_L, which is usually Alt).
  MetaLeft: [0xffeb, 0xffe7], // Super_L, Meta_L
  MetaRight: [0xffec, 0xffeb, 0xffe8],
  AltGraph: [0xfe03, 0xff7e], // ISO_Level3_Shift, Mode_switch
  CapsLock: [0xffe5],
  NumLock: [0xff7f],
  ScrollLock: [0xff14],
  ContextMenu: [0xff67], // Menu
  PrintScreen: [0xff61], // Print
  Pause: [0xff13],
};

/** The keysym for one Unicode code point: Latin-1 keysyms equal the code point, others are 0x01000000 + cp. */
export function keysymForCodePoint(cp: number): number {
  if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff)) return cp;
  return 0x01000000 + cp;
}

/** Keysym candidates for an injector key name; a single character is its own keysym. */
export function keysymsForKey(name: string): readonly number[] {
  const named = NAMED_KEYSYMS[name];
  if (named) return named;
  const cp = name.codePointAt(0);
  return cp !== undefined && [...name].length === 1 ? [keysymForCodePoint(cp)] : [];
}

/** True when `name` is typed as a character (its shift level matters), false for named keys. */
export function isCharacterKey(name: string): boolean {
  return NAMED_KEYSYMS[name] === undefined;
}

/** Lower and upper case of a Latin-1 letter keysym (Xlib XConvertCase, for the ranges we type). */
function convertCase(ks: number): [number, number] {
  if (ks >= 0x41 && ks <= 0x5a) return [ks + 0x20, ks];
  if (ks >= 0x61 && ks <= 0x7a) return [ks, ks - 0x20];
  if (ks >= 0xc0 && ks <= 0xde && ks !== 0xd7) return [ks + 0x20, ks];
  if (ks >= 0xe0 && ks <= 0xfe && ks !== 0xf7) return [ks, ks - 0x20];
  return [ks, ks];
}

/** Where a keysym sits: the keycode, the shift level (null: the same at both levels), alphabetic or not. */
export interface KeyPlacement {
  keycode: number;
  level: 0 | 1 | null;
  /** Caps Lock flips the level of alphabetic keys. */
  alpha: boolean;
}

/**
 * Indexes a core keyboard mapping (rows from GetKeyboardMapping, starting at `minKeycode`) by
 * keysym, looking at group 1 levels 1–2 only. A keysym on an unshifted level wins over one that
 * needs Shift; a lower keycode wins a tie. Xlib's rule applies: a lone letter means both cases.
 */
export function indexKeymap(rows: readonly (readonly number[])[], minKeycode: number): Map<number, KeyPlacement> {
  const index = new Map<number, KeyPlacement>();
  const levels = rows.map((row) => {
    const l0 = row[0] ?? 0;
    let l1 = row[1] ?? 0;
    if (l1 === 0) l1 = convertCase(l0)[1];
    return [l0, l1] as const;
  });
  for (const pass of [0, 1] as const) {
    levels.forEach(([l0, l1], i) => {
      const ks = pass === 0 ? l0 : l1;
      if (ks === 0 || index.has(ks)) return;
      const [lower, upper] = convertCase(l0);
      index.set(ks, { keycode: minKeycode + i, level: l0 === l1 ? null : pass, alpha: lower === l0 && upper === l1 && l0 !== l1 });
    });
  }
  return index;
}
