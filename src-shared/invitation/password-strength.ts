// A simple, honest strength estimate for invitation passwords. "Honest" means it errs low: it
// counts how many guesses a guesser who tries common passwords, words, sequences and repeats
// first would need, not the size of the character set alone (which would rate "Password1!" as
// strong). It is not zxcvbn; it is small enough to read and runs in the page as well as in main.
import { COMMON_PASSWORDS, KEYBOARD_ROWS } from './common-passwords';
import { GENERATED_PASSWORD_BITS, GENERATED_PASSWORD_PATTERN, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, normalizePassword } from './password-normalize';

/** The label shown next to the password field, one per score. */
export type StrengthLabel = 'too short' | 'weak' | 'fair' | 'good' | 'strong';

/** What the page shows: a 0..4 meter, a word, the estimate in bits and one tip. */
export interface PasswordStrength {
  score: 0 | 1 | 2 | 3 | 4;
  label: StrengthLabel;
  /** Estimated log2 of the guesses needed, rounded down. */
  bits: number;
  hint: string;
}

const LABELS: readonly StrengthLabel[] = ['too short', 'weak', 'fair', 'good', 'strong'];
// Bits needed for each score. A guesser with the file and GPUs tries perhaps 10^5 scrypt
// passwords a second; 45 bits is then months, 60 bits is out of reach.
const FAIR_BITS = 30;
const GOOD_BITS = 45;
const STRONG_BITS = 60;

const LOG2_DIGITS = Math.log2(10);
const LOG2_LETTERS = Math.log2(26);
const LOG2_SYMBOLS = Math.log2(33);
const LOG2_OTHER_LETTERS = Math.log2(40);

const COMMON_RANK = new Map(COMMON_PASSWORDS.map((p, i) => [p, i + 1]));
// Words (not digit strings) from the list, longest first, to find inside longer passwords.
const COMMON_WORDS = COMMON_PASSWORDS.filter((p) => /^[a-z]{4,}$/.test(p)).sort((a, b) => b.length - a.length);
const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '0123456789', ...KEYBOARD_ROWS];
const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', $: 's', '!': 'i', '|': 'l' };

interface Estimate {
  bits: number;
  common: boolean;
  patterned: boolean;
}

/** Estimates how hard `password` is to guess. Works on the normalized form, as the key derivation does. */
export function passwordStrength(password: string): PasswordStrength {
  const p = normalizePassword(password.slice(0, MAX_PASSWORD_LENGTH * 4));
  // A generated password's strength is known exactly: it is drawn uniformly at random.
  const e: Estimate = GENERATED_PASSWORD_PATTERN.test(p) ? { bits: GENERATED_PASSWORD_BITS, common: false, patterned: false } : estimate(p);
  const bits = Math.max(0, Math.floor(e.bits));
  if ([...p].length < MIN_PASSWORD_LENGTH) return { score: 0, label: LABELS[0]!, bits, hint: `Use at least ${MIN_PASSWORD_LENGTH} characters, or the generated password.` };
  const score = e.common || bits < FAIR_BITS ? 1 : bits < GOOD_BITS ? 2 : bits < STRONG_BITS ? 3 : 4;
  return { score, label: LABELS[score]!, bits, hint: hintFor(score, e) };
}

function hintFor(score: number, e: Estimate): string {
  if (e.common) return 'This is one of the most common passwords, or close to one: anyone could guess it. Use the generated password instead.';
  if (score <= 2 && e.patterned) return 'Avoid sequences and repeats such as 123456, abcdef or qwerty; add unrelated words or random characters.';
  if (score === 1) return 'Easy to guess. Add more unrelated words or random characters, or use the generated password.';
  if (score === 2) return 'Could be stronger: add another unrelated word or a few random characters.';
  if (score === 3) return 'Good. A longer password, or the generated one, is stronger still.';
  return 'Strong.';
}

function estimate(p: string): Estimate {
  if (p === '') return { bits: 0, common: false, patterned: false };
  const lower = p.toLowerCase();
  const rank = COMMON_RANK.get(lower);
  if (rank !== undefined) return { bits: Math.log2(rank + 1), common: true, patterned: false };

  // "Password123!", "P@ssw0rd", "qwerty2024": a common password with a capital, substitutions or
  // a short suffix is one of the first variants a guesser tries.
  const suffix = /[^\p{L}]{1,4}$/u.exec(p)?.[0] ?? '';
  const { text: stem, substitutions } = unLeet(p.slice(0, p.length - suffix.length));
  const stemRank = COMMON_RANK.get(stem.toLowerCase());
  if (stemRank !== undefined && stem !== '') {
    const bits = Math.log2(stemRank + 1) + caseBits(stem) + substitutions + runsBits(suffix).bits;
    return { bits, common: true, patterned: false };
  }

  // "abcabcabc": the unit, then how many times it repeats.
  const repeat = /^(.+?)\1+$/su.exec(p);
  if (repeat?.[1] !== undefined) {
    const unit = estimate(repeat[1]);
    return { bits: unit.bits + Math.log2(p.length / repeat[1].length), common: unit.common, patterned: true };
  }

  const whole = unLeet(p);
  const runs = runsBits(whole.text);
  return { bits: runs.bits + whole.substitutions, common: false, patterned: runs.patterned };
}

// Undo look-alike substitutions inside words (p@ssw0rd → password), but not trailing digits
// ("hello1" stays hello + 1), and not in digit-only strings.
function unLeet(s: string): { text: string; substitutions: number } {
  let substitutions = 0;
  const text = s.replace(/[\p{L}01345789@$!|]+/gu, (run) => {
    if ((run.match(/\p{L}/gu)?.length ?? 0) < 2) return run;
    const tail = /[^\p{L}]*$/u.exec(run)?.[0] ?? '';
    const body = run.slice(0, run.length - tail.length).replace(/[^\p{L}]/gu, (c) => {
      const letter = LEET[c];
      if (letter === undefined) return c;
      substitutions++;
      return letter;
    });
    return body + tail;
  });
  return { text, substitutions };
}

// Splits into runs of letters, digits and other characters, and adds up each run's guesses.
function runsBits(s: string): { bits: number; patterned: boolean } {
  let bits = 0;
  let patterned = false;
  const separators = new Set<string>();
  for (const [run] of s.matchAll(/\p{L}+|\p{Nd}+|[^\p{L}\p{Nd}]+/gu)) {
    if (/^\p{L}/u.test(run)) {
      const r = letterBits(run.toLowerCase());
      bits += r.bits + caseBits(run);
      patterned ||= r.patterned;
    } else if (/^\p{Nd}/u.test(run)) {
      const r = digitBits(run);
      bits += r.bits;
      patterned ||= r.patterned;
    } else {
      // A separator used again ("a-b-c", spaces between words) adds almost nothing.
      for (const c of run) {
        bits += separators.has(c) ? 1 : LOG2_SYMBOLS;
        separators.add(c);
      }
    }
  }
  return { bits, patterned };
}

function letterBits(l: string): { bits: number; patterned: boolean } {
  const n = [...l].length;
  if (/[^a-z]/.test(l)) {
    // Accented Latin ("sömmer") is a word with a few marks: judge the bare letters, plus a bit a mark.
    const bare = l.normalize('NFD').replace(/\p{M}/gu, '');
    if (/^[a-z]+$/.test(bare) && bare.length === n) {
      const r = letterBits(bare);
      return { bits: r.bits + (l.match(/[^a-z]/g)?.length ?? 0), patterned: r.patterned };
    }
    return { bits: n * LOG2_OTHER_LETTERS, patterned: false };
  }
  if (isRepeatOrSequence(l)) return { bits: LOG2_LETTERS + Math.log2(n), patterned: true };
  const rank = COMMON_RANK.get(l);
  if (rank !== undefined) return { bits: Math.log2(rank + 1), patterned: false };
  const word = COMMON_WORDS.find((w) => l.includes(w));
  if (word !== undefined) {
    const at = l.indexOf(word);
    const before = letterBits(l.slice(0, at));
    const after = letterBits(l.slice(at + word.length));
    return { bits: Math.log2((COMMON_RANK.get(word) ?? 1) + 1) + before.bits + after.bits, patterned: before.patterned || after.patterned };
  }
  // Pronounceable runs are probably dictionary words: a large dictionary is ~2^17 words, and
  // longer words are rarer, so cap the estimate well below random letters.
  const vowels = l.match(/[aeiouy]/g)?.length ?? 0;
  if (n >= 4 && vowels / n >= 0.2 && vowels / n <= 0.6) return { bits: Math.min(n * LOG2_LETTERS, 10 + n / 2), patterned: false };
  return { bits: n * LOG2_LETTERS, patterned: false };
}

function digitBits(d: string): { bits: number; patterned: boolean } {
  const n = d.length;
  if (isRepeatOrSequence(d)) return { bits: LOG2_DIGITS + Math.log2(n), patterned: true };
  if (/^(?:19|20)\d\d$/.test(d)) return { bits: 7, patterned: false }; // a year
  const rank = COMMON_RANK.get(d);
  if (rank !== undefined) return { bits: Math.log2(rank + 1), patterned: true };
  return { bits: n * LOG2_DIGITS, patterned: false };
}

// Capitalising the first letter or everything is one guess more; other capitals each double it.
function caseBits(s: string): number {
  const upper = s.match(/\p{Lu}/gu)?.length ?? 0;
  if (upper === 0) return 0;
  const letters = s.match(/\p{L}/gu)?.length ?? 0;
  if (upper === letters || (upper === 1 && /^\p{Lu}/u.test(s))) return 1;
  return upper;
}

// "aaaa", "abcd", "4321", "asdfgh", "poiuy": three or more characters walking a row or repeating.
function isRepeatOrSequence(s: string): boolean {
  if (s.length < 3) return false;
  if (/^(.)\1+$/su.test(s)) return true;
  const reversed = [...s].reverse().join('');
  return SEQUENCES.some((seq) => seq.includes(s) || seq.includes(reversed));
}
