// Password rules shared by main (which enforces them) and the page (which shows them while the
// user types). Pure TypeScript: no Node, no DOM.
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, normalizePassword } from './password-normalize';

export {
  GENERATED_GROUPS,
  GENERATED_GROUP_LENGTH,
  GENERATED_PASSWORD_BITS,
  GENERATED_PASSWORD_PATTERN,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  PASSWORD_ALPHABET,
  normalizePassword,
} from './password-normalize';
export { passwordStrength, type PasswordStrength, type StrengthLabel } from './password-strength';

// C0/C1 controls, lone surrogates, line/paragraph separators, bidi overrides and the BOM:
// invisible characters that make a password impossible to read out or retype.
const FORBIDDEN_CHARACTERS = /[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/u;

/** Null when `password` may protect an invitation, else the sentence to show under the field. */
export function validatePassword(password: string): string | null {
  if (password.length > MAX_PASSWORD_LENGTH * 4) return `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  const p = normalizePassword(password);
  if (FORBIDDEN_CHARACTERS.test(p)) return 'The password must not contain control characters (such as tabs or line breaks).';
  const length = [...p].length;
  if (length < MIN_PASSWORD_LENGTH) return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  if (length > MAX_PASSWORD_LENGTH) return `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  return null;
}
