// Invitation passwords in main: the shared rules plus a generator with a cryptographic RNG (the
// page never generates passwords: Math.random is not good enough and the page is less trusted).
import crypto from 'node:crypto';
import { GENERATED_GROUPS, GENERATED_GROUP_LENGTH, PASSWORD_ALPHABET } from '../../src-shared/invitation/password-rules';

export {
  GENERATED_PASSWORD_BITS,
  PASSWORD_ALPHABET,
  normalizePassword,
  passwordStrength,
  validatePassword,
  type PasswordStrength,
} from '../../src-shared/invitation/password-rules';

/**
 * A fresh random password such as `k7mx-3aph-rtwy-4njd`: 4 groups of 4 from a 21-character
 * alphabet without look-alikes (≈ 70 bits), easy to read aloud and to retype.
 */
export function generatePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < GENERATED_GROUPS; g++) {
    let group = '';
    // randomInt is uniform (rejection sampling), so no character is likelier than another.
    for (let i = 0; i < GENERATED_GROUP_LENGTH; i++) group += PASSWORD_ALPHABET[crypto.randomInt(PASSWORD_ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}
