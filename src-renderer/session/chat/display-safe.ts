/**
 * Makes control characters visible instead of letting them act: C0/C1 controls become their
 * "control picture" symbols (␛ for ESC …), bidi overrides become a visible marker. Newlines and
 * tabs stay. React already renders everything as text, never HTML.
 */
export function displaySafe(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === '\n' || ch === '\t') out += ch;
    else if (c < 0x20) out += String.fromCodePoint(0x2400 + c);
    else if (c === 0x7f) out += '\u2421';
    else if (c >= 0x80 && c < 0xa0) out += '\ufffd';
    else if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) out += '\u2983';
    else out += ch;
  }
  return out;
}
