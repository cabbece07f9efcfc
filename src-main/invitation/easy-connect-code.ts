/**
 * Easy Connect codes: one 12-character code, read aloud or typed, that carries both halves of an
 * invitation reached through the relay:
 *
 *   code id (4)  — tells the relay which pairing to join; the only part the relay ever sees
 *   password (7) — goes only into the PAKE handshake with the requester (≈ 30.7 bits)
 *   check (1)    — a weighted sum mod 21 over the 11 characters before it, so a typo is
 *                  caught here, before it can cost anyone a try
 *
 * Shown as `k7mx-3aph-rtwn`, from the password alphabet (no look-alikes). Typing is forgiving:
 * capitals, spaces, dashes and dots are ignored.
 *
 * Why 30.7 bits is enough: there is no file and nothing at the relay to test guesses against
 * offline (CPace gives an eavesdropper or the relay nothing to test), so every guess is an online
 * join — at most a few per code (the relay burns it; the requester locks the invitation), each
 * shown to the requester.
 */
import { randomInt } from 'node:crypto';
import { AppError } from '../../src-shared/contract/errors';
import { PASSWORD_ALPHABET } from '../../src-shared/invitation/password-normalize';

/** Characters of a code id. */
export const EASY_CONNECT_ID_LENGTH = 4;
/** Characters of the password part. */
export const EASY_CONNECT_PASSWORD_LENGTH = 7;
/** Characters of a whole code, without separators. */
export const EASY_CONNECT_CODE_LENGTH = EASY_CONNECT_ID_LENGTH + EASY_CONNECT_PASSWORD_LENGTH + 1;
/** Entropy of the password part, in bits (7 × log2(21) ≈ 30.7). */
export const EASY_CONNECT_PASSWORD_BITS = EASY_CONNECT_PASSWORD_LENGTH * Math.log2(PASSWORD_ALPHABET.length);

const A = PASSWORD_ALPHABET;
const N = A.length;

/** A code, split into what goes to the relay and what goes into the handshake. */
export interface EasyConnectCode {
  codeId: string;
  password: string;
}

/** A fresh random password part (uniform: randomInt rejects biased draws). */
export function generateEasyConnectPassword(): string {
  let p = '';
  for (let i = 0; i < EASY_CONNECT_PASSWORD_LENGTH; i++) p += A[randomInt(N)];
  return p;
}

/** The code to show: id + password + check character, in three groups of four. */
export function formatEasyConnectCode(code: EasyConnectCode): string {
  const body = code.codeId + code.password;
  if (code.codeId.length !== EASY_CONNECT_ID_LENGTH || code.password.length !== EASY_CONNECT_PASSWORD_LENGTH || ![...body].every((c) => A.includes(c))) {
    throw new AppError('invalid-input', 'An Easy Connect code is made of a 4-character code id and a 7-character password from the code alphabet.');
  }
  const all = body + checkCharacter(body);
  return `${all.slice(0, 4)}-${all.slice(4, 8)}-${all.slice(8)}`;
}

// Misreadings of characters that never appear in a code, and what to say about them.
const LOOK_ALIKES: Record<string, string> = {
  '0': 'zero', o: 'the letter o', '1': 'one', l: 'the letter l', i: 'the letter i', '2': 'two', z: 'the letter z',
  '5': 'five', s: 'the letter s', '8': 'eight', b: 'the letter b', u: 'the letter u', v: 'the letter v', g: 'the letter g', q: 'the letter q',
};

/**
 * Reads a typed code (capitals, spaces, dashes and dots ignored). Throws AppError('invalid-input')
 * saying exactly what is wrong: the length, a character codes never contain, or a typo the check
 * character caught.
 */
export function parseEasyConnectCode(text: string): EasyConnectCode {
  const compact = text.normalize('NFKC').toLowerCase().replace(/[\s\-\u2010-\u2015._]+/g, '');
  if (compact.length === 0) throw new AppError('invalid-input', 'Type the Easy Connect code the person who invited you read to you (12 characters, like k7mx-3aph-rtwn).');
  for (const c of compact) {
    if (A.includes(c)) continue;
    const shown = [...c].length === 1 && /\p{L}|\p{N}|\p{P}|\p{S}/u.test(c) ? `"${c}"` : 'an unexpected character';
    const why = LOOK_ALIKES[c] ? ` (${LOOK_ALIKES[c]} never appears in a code, so it is probably a misreading)` : '';
    throw new AppError('invalid-input', `The code contains ${shown}${why}. Codes use only the letters ${[...A].filter((x) => /[a-z]/.test(x)).join(' ')} and the digits ${[...A].filter((x) => /\d/.test(x)).join(' ')}. Check the code with the person who gave it to you.`);
  }
  if (compact.length !== EASY_CONNECT_CODE_LENGTH) {
    throw new AppError('invalid-input', `An Easy Connect code has ${EASY_CONNECT_CODE_LENGTH} characters; this one has ${compact.length}. Check the code with the person who gave it to you.`);
  }
  const body = compact.slice(0, -1);
  if (checkCharacter(body) !== compact.at(-1)) {
    throw new AppError('invalid-input', 'This code has a typo (its last character does not match the others). Check each character with the person who gave it to you; nothing was sent yet, so no try was used.');
  }
  return { codeId: body.slice(0, EASY_CONNECT_ID_LENGTH), password: body.slice(EASY_CONNECT_ID_LENGTH) };
}

/**
 * The check character: weights 1, 2, 1, 2 … from the right (the check itself weighs 1), and the
 * weighted sum of the whole code ≡ 0 mod 21. Both weights are coprime to 21, so every
 * single-character error changes the sum; neighbouring weights differ by 1, so every swap of two
 * different neighbours does too. (Luhn's digit-sum doubling needs an even alphabet size: with 21
 * characters it maps two digits to the same value and misses errors.)
 */
export function checkCharacter(body: string): string {
  let sum = 0;
  for (let i = body.length - 1, weight = 2; i >= 0; i--, weight = 3 - weight) {
    const digit = A.indexOf(body[i]!);
    if (digit < 0) throw new Error(`not a code character: ${body[i]}`);
    sum += weight * digit;
  }
  return A[(N - (sum % N)) % N]!;
}
