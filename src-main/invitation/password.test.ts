import { describe, expect, it } from 'vitest';
import { GENERATED_PASSWORD_BITS, PASSWORD_ALPHABET, generatePassword, normalizePassword, passwordStrength, validatePassword } from './password';

describe('generatePassword', () => {
  it('is 4 dash-separated groups of 4 from the alphabet, with no look-alike characters', () => {
    const pw = generatePassword();
    expect(pw).toMatch(/^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/);
    for (const c of pw.replace(/-/g, '')) expect(PASSWORD_ALPHABET).toContain(c);
    for (const lookAlike of '0oO1lIi5sS2zZ8bBuvgq') expect(PASSWORD_ALPHABET).not.toContain(lookAlike);
    expect(GENERATED_PASSWORD_BITS).toBeGreaterThan(70);
  });

  it('1000 passwords: all distinct, all valid, all already normalized, all rated strong', () => {
    const all = Array.from({ length: 1000 }, generatePassword);
    expect(new Set(all).size).toBe(1000);
    for (const pw of all) {
      expect(validatePassword(pw)).toBeNull();
      expect(normalizePassword(pw)).toBe(pw);
      expect(passwordStrength(pw).label).toBe('strong');
    }
  });

  it('uses every character of the alphabet, roughly evenly', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 1000; i++) for (const c of generatePassword().replace(/-/g, '')) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(PASSWORD_ALPHABET.length);
    const expected = 16_000 / PASSWORD_ALPHABET.length;
    for (const n of counts.values()) expect(Math.abs(n - expected)).toBeLessThan(expected * 0.25);
  });
});
