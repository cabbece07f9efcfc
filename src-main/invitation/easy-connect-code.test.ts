import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src-shared/contract/errors';
import { PASSWORD_ALPHABET } from '../../src-shared/invitation/password-normalize';
import { validatePassword } from '../../src-shared/invitation/password-rules';
import { EASY_CONNECT_PASSWORD_BITS, checkCharacter, formatEasyConnectCode, generateEasyConnectPassword, parseEasyConnectCode } from './easy-connect-code';

function invalid(text: string): string {
  try {
    parseEasyConnectCode(text);
  } catch (e) {
    if (isAppError(e, 'invalid-input')) return e.message;
    throw e;
  }
  throw new Error(`"${text}" was accepted`);
}

describe('Easy Connect codes', () => {
  it('round-trips: 4-character id + 7-character password + check, shown as three groups of four', () => {
    for (let i = 0; i < 200; i++) {
      const code = { codeId: 'k7mx', password: generateEasyConnectPassword() };
      const text = formatEasyConnectCode(code);
      expect(text).toMatch(new RegExp(`^[${PASSWORD_ALPHABET}]{4}-[${PASSWORD_ALPHABET}]{4}-[${PASSWORD_ALPHABET}]{4}$`));
      expect(parseEasyConnectCode(text)).toEqual(code);
      // The password part is a valid invitation password as it stands (the PAKE uses it unchanged).
      expect(validatePassword(code.password)).toBeNull();
    }
    expect(EASY_CONNECT_PASSWORD_BITS).toBeGreaterThan(30);
  });

  it('tolerates what people do when typing a code read aloud: capitals, spaces, dashes, dots', () => {
    const code = { codeId: 'ac3f', password: 'hjk4m9n' };
    const text = formatEasyConnectCode(code);
    const compact = text.replaceAll('-', '');
    for (const typed of [text.toUpperCase(), ` ${compact} `, compact.match(/.{1,3}/g)!.join(' '), compact.split('').join('.'), text.replaceAll('-', ' \u2013 '), `${compact.slice(0, 6)}\t${compact.slice(6)}`]) {
      expect(parseEasyConnectCode(typed)).toEqual(code);
    }
  });

  it.each(['wxyr', 'ac3f', '9976'])('catches every single-character typo and every swap of two different neighbours (code id %s)', (codeId) => {
    const text = formatEasyConnectCode({ codeId, password: 'tp3e7df' }).replaceAll('-', '');
    let caught = 0;
    let tried = 0;
    for (let i = 0; i < text.length; i++) {
      for (const c of PASSWORD_ALPHABET) {
        if (c === text[i]) continue;
        tried++;
        if (/typo/.test(invalid(text.slice(0, i) + c + text.slice(i + 1)))) caught++;
      }
    }
    expect(caught).toBe(tried);
    let swaps = 0;
    let swapsCaught = 0;
    for (let i = 0; i + 1 < text.length; i++) {
      if (text[i] === text[i + 1]) continue;
      swaps++;
      const swapped = text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
      if (/typo/.test(invalid(swapped))) swapsCaught++;
    }
    expect(swapsCaught).toBe(swaps);
  });

  it('says what is wrong: length, look-alike characters, foreign characters, nothing typed', () => {
    expect(invalid('k7mx-3aph')).toMatch(/has 12 characters; this one has 8/);
    expect(invalid('k7mx-3aph-rtw0')).toMatch(/contains "0" \(zero never appears in a code, so it is probably a misreading\)/);
    expect(invalid('k7mx-3apl-rtwy')).toMatch(/the letter l never appears/);
    expect(invalid('k7mx-3aph-rtw€')).toMatch(/contains "€"\. Codes use only the letters a c d e f h j k m n p r t w x y and the digits 3 4 6 7 9/);
    expect(invalid('   ')).toMatch(/Type the Easy Connect code/);
  });

  it('the check character makes the weighted sum 0 mod 21 (a hand-computed value)', () => {
    // "dw": from the right, w=13 weighs 2 → 26, d=2 weighs 1 → 2; sum 28 ≡ 7; check = 21 - 7 = 14 → 'x'.
    expect(checkCharacter('dw')).toBe('x');
    expect(() => formatEasyConnectCode({ codeId: 'abcd', password: 'hjk4m9n' })).toThrow(/code alphabet/);
  });
});
