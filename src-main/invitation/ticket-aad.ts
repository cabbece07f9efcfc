// The AEAD's associated data: one canonical encoding of every non-secret field. GCM
// authenticates it with the sealed content, so editing anything a reader relies on (expiresAt,
// allowControl, the names, the id, the mode, the clear candidates, the KDF settings) makes the
// file fail to open with the right password instead of silently meaning something else.
import type { Ticket } from './ticket-schema';

// Domain separation: these bytes can never be mistaken for another protocol's associated data.
const AAD_PREFIX = 'remote-assist-invitation/aad/v1\n';

/**
 * The associated data for `ticket`: everything in the file except the sealed box's own nonce,
 * password check and ciphertext, canonically encoded and prefixed.
 */
export function ticketAssociatedData(ticket: Omit<Ticket, 'sealed'> & { sealed: { alg: Ticket['sealed']['alg'] } }): Uint8Array {
  const { sealed, ...header } = ticket;
  return new TextEncoder().encode(AAD_PREFIX + canonicalJson({ ...header, sealed: { alg: sealed.alg } }));
}

/**
 * JSON with object keys sorted (by UTF-16 code units) and no white space, so the same value
 * always gives the same bytes, whatever the key order or spacing in the file. Only what a ticket
 * holds is allowed: strings, booleans, safe integers, arrays and plain objects; keys whose value
 * is undefined are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    // Floats have several spellings and 2^53+1 has none: neither belongs in a ticket.
    if (!Number.isSafeInteger(value)) throw new TypeError(`canonicalJson: ${value} is not a safe integer`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: unsupported value ${String(value)}`);
}
