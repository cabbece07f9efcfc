/**
 * The policy's offer allow-list: `offerHelpers` (the white paper's "Offer Remote Assistance
 * Helpers") and `offerAdmins` (administrators of this computer, allowed whenever offers are on).
 * Entries are matched by fingerprint only, in canonical form; the entry's name is what the user
 * is shown, because the administrator wrote it — the helper's own name is merely claimed.
 */
import type { HelperEntry } from '../../src-shared/settings/settings-schema';
import { sanitizePeerText } from '../link/link-messages';
import { normalizeFingerprint } from './fingerprint';

/** The allow-list part of the policy. */
export interface AllowLists {
  offerHelpers: readonly HelperEntry[];
  offerAdmins: readonly HelperEntry[];
}

/** A listed helper: the administrator's name for it, and which list it is on. */
export interface ListedHelper {
  name: string;
  admin: boolean;
}

/** Looks a proven helper ID up in both lists (administrators first); null when it is on neither. */
export function findListedHelper(lists: AllowLists, fingerprint: string): ListedHelper | null {
  const want = normalizeFingerprint(fingerprint);
  if (!want) return null;
  for (const [entries, admin] of [
    [lists.offerAdmins, true],
    [lists.offerHelpers, false],
  ] as const) {
    const hit = entries.find((e) => normalizeFingerprint(e.fingerprint) === want);
    // The policy is trusted, but its names reach a prompt: keep them one plain line.
    if (hit) return { name: sanitizePeerText(hit.name, 64) || 'A listed helper', admin };
  }
  return null;
}

/** How many distinct helper IDs may offer help (entries that are not fingerprints count for nothing). */
export function allowListCount(lists: AllowLists): number {
  const all = [...lists.offerHelpers, ...lists.offerAdmins].map((e) => normalizeFingerprint(e.fingerprint)).filter((f): f is string => f !== null);
  return new Set(all).size;
}
