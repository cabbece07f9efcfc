// The password alphabet, the shape of generated passwords and the canonical form of any password.
// Pure TypeScript. Split from password-rules.ts so password-strength.ts can use it without an
// import cycle.
//
// The invitation password is ALSO the password of the link's PAKE handshake, so every use (the
// ticket's key derivation, the handshake, validation) must feed it through `normalizePassword`
// first; otherwise a password typed slightly differently would open the file but fail the
// handshake, or the other way round.

/**
 * Characters of a generated password: lower-case letters and digits that cannot be mistaken for
 * each other on screen, on paper or over the phone. Left out: 0 o (and O), 1 l i (and I), 2 z,
 * 5 s, 8 b, u v, and g q (both look like 9). 21 characters ≈ 4.39 bits each.
 */
export const PASSWORD_ALPHABET = 'acdefhjkmnprtwxy34679';

/** A generated password is this many groups … */
export const GENERATED_GROUPS = 4;
/** … of this many characters, joined by dashes (`k7mx-3aph-…`): short chunks are easy to read aloud. */
export const GENERATED_GROUP_LENGTH = 4;
/** The entropy of a generated password, in bits (16 × log2(21) ≈ 70.3). */
export const GENERATED_PASSWORD_BITS = GENERATED_GROUPS * GENERATED_GROUP_LENGTH * Math.log2(PASSWORD_ALPHABET.length);

/** The white paper's rule for invitation passwords. */
export const MIN_PASSWORD_LENGTH = 6;
/** Bounds the work (and memory) spent on a pasted essay; no one types more than this. */
export const MAX_PASSWORD_LENGTH = 256;

const GROUP = `[${PASSWORD_ALPHABET}]{${GENERATED_GROUP_LENGTH}}`;
/** Exactly the shape `generatePassword()` produces. */
export const GENERATED_PASSWORD_PATTERN = new RegExp(`^${GROUP}(?:-${GROUP}){${GENERATED_GROUPS - 1}}$`);

/**
 * The canonical form of a password, used for the key derivation, the PAKE and validation.
 * NFC, because macOS and Windows keyboards can produce different code points for "é"; surrounding
 * white space trimmed, because copy-and-paste adds it. A password that is a generated password
 * typed in capitals, with spaces or without dashes becomes the generated form, because people
 * read those aloud in groups and type what they hear.
 */
export function normalizePassword(password: string): string {
  const nfc = password.normalize('NFC').trim();
  const compact = nfc.toLowerCase().replace(/[\s-]+/g, '');
  const total = GENERATED_GROUPS * GENERATED_GROUP_LENGTH;
  if (compact.length === total && [...compact].every((c) => PASSWORD_ALPHABET.includes(c))) {
    const groups: string[] = [];
    for (let i = 0; i < total; i += GENERATED_GROUP_LENGTH) groups.push(compact.slice(i, i + GENERATED_GROUP_LENGTH));
    return groups.join('-');
  }
  return nfc;
}

