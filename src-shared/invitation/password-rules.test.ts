import { describe, expect, it } from 'vitest';
import { GENERATED_PASSWORD_PATTERN, normalizePassword, passwordStrength, validatePassword } from './password-rules';

describe('validatePassword', () => {
  it.each([
    ['abcdef', null],
    ['Élan vital', null],
    ['ab', 'The password must be at least 6 characters long.'],
    ['', 'The password must be at least 6 characters long.'],
    ['  abc  ', 'The password must be at least 6 characters long.'],
    // Five characters, six UTF-16 units: the rule counts characters.
    ['ab😀cd', 'The password must be at least 6 characters long.'],
    ['x'.repeat(256), null],
    ['x'.repeat(257), 'The password must be at most 256 characters long.'],
    ['x'.repeat(100_000), 'The password must be at most 256 characters long.'],
    ['abc\tdef', 'The password must not contain control characters (such as tabs or line breaks).'],
    ['abc\ndef', 'The password must not contain control characters (such as tabs or line breaks).'],
    ['abc\u0000def', 'The password must not contain control characters (such as tabs or line breaks).'],
    ['abc\u202Edef', 'The password must not contain control characters (such as tabs or line breaks).'],
    ['abc\ud800def', 'The password must not contain control characters (such as tabs or line breaks).'],
  ])('%j → %j', (pw, expected) => {
    expect(validatePassword(pw)).toBe(expected);
  });
});

describe('normalizePassword', () => {
  it('gives one form for the ways people type a generated password', () => {
    for (const typed of ['k7mx-3aph-rtwy-4njd', 'K7MX-3APH-RTWY-4NJD', 'k7mx3aphrtwy4njd', ' k7mx 3aph rtwy 4njd\n', 'k7mx - 3aph - rtwy - 4njd']) {
      expect(normalizePassword(typed)).toBe('k7mx-3aph-rtwy-4njd');
    }
    expect(GENERATED_PASSWORD_PATTERN.test('k7mx-3aph-rtwy-4njd')).toBe(true);
  });
  it('leaves other passwords case-sensitive, only NFC-normalized and trimmed', () => {
    expect(normalizePassword('Hunter2!')).toBe('Hunter2!');
    expect(normalizePassword('hunter2!')).not.toBe(normalizePassword('Hunter2!'));
    // "é" typed as e + combining accent (macOS) equals the precomposed "é" (Windows).
    expect(normalizePassword('caf\u0065\u0301 au lait')).toBe(normalizePassword('caf\u00e9 au lait'));
    expect(normalizePassword('  spaced out  ')).toBe('spaced out');
    // Sixteen characters, but 'o' and 'i' are not in the alphabet: not a generated password.
    expect(normalizePassword('OIOI-OIOI-OIOI-OIOI')).toBe('OIOI-OIOI-OIOI-OIOI');
  });
});

describe('passwordStrength', () => {
  it('orders "123456" < "Tr0ub4dor" < a generated password', () => {
    const weak = passwordStrength('123456');
    const mid = passwordStrength('Tr0ub4dor');
    const generated = passwordStrength('k7mx-3aph-rtwy-4njd');
    expect(weak.bits).toBeLessThan(mid.bits);
    expect(mid.bits).toBeLessThan(generated.bits);
    expect(weak.score).toBeLessThanOrEqual(mid.score);
    expect(mid.score).toBeLessThan(generated.score);
    expect(weak.label).toBe('weak');
    expect(generated).toMatchObject({ score: 4, label: 'strong', bits: 70 });
  });

  it('is too short below 6 characters', () => {
    expect(passwordStrength('a8#Q')).toMatchObject({ score: 0, label: 'too short' });
    expect(passwordStrength('')).toMatchObject({ score: 0, label: 'too short', bits: 0 });
  });

  it.each(['password', 'Password1', 'P@ssw0rd', 'qwerty123', 'iloveyou!', 'letmein2024', 'Dragon'])('%j is weak: a common password or a trivial variant', (pw) => {
    const s = passwordStrength(pw);
    expect(s.score).toBe(1);
    expect(s.hint).toMatch(/most common passwords/);
  });

  it.each(['abcdefgh', 'aaaaaaaaaa', '9876543210', 'asdfghjkl;', 'abcabcabcabc', 'zyxwvuts'])('%j is weak: a sequence, walk or repeat', (pw) => {
    expect(passwordStrength(pw).score).toBe(1);
  });

  it('does not rate by character set alone', () => {
    // 12 characters from 4 classes, but a word with a capital, substitutions and a year.
    expect(passwordStrength('Sunsh1ne2024!').score).toBeLessThanOrEqual(2);
    // Same length, random.
    expect(passwordStrength('q8#Vt2!mZr9k').score).toBeGreaterThanOrEqual(3);
  });

  it('grows with length for random-looking passwords', () => {
    const bits = ['xkq7tpwz', 'xkq7tpwzmr3f', 'xkq7tpwzmr3fhd9c'].map((p) => passwordStrength(p).bits);
    expect(bits[0]!).toBeLessThan(bits[1]!);
    expect(bits[1]!).toBeLessThan(bits[2]!);
  });

  it('has a hint for every result and handles any input', () => {
    for (const pw of ['', 'x', '\u0000\u0000\u0000\u0000\u0000\u0000', '😀'.repeat(300), 'a'.repeat(10_000), 'Ωμέγα-Δέλτα-42']) {
      const s = passwordStrength(pw);
      expect(s.hint.length).toBeGreaterThan(0);
      expect(Number.isFinite(s.bits)).toBe(true);
    }
  });
});
