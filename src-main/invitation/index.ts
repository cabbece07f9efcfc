// The invitation module's public API, for the services and the CLI. Internals (the JSON reader,
// the text decoder, the error wording) stay importable for tests but are not part of it.
export { localCandidates, type InterfaceTable } from './candidates';
export { DEFAULT_LIFETIME_MINUTES, MIN_LIFETIME_MINUTES, resolveLifetime, type ResolvedLifetime } from './expiry';
export { GENERATED_PASSWORD_BITS, PASSWORD_ALPHABET, generatePassword, normalizePassword, passwordStrength, validatePassword, type PasswordStrength } from './password';
export {
  checkExpiry,
  createTicket,
  openTicket,
  parseTicketFile,
  ticketFileName,
  unsealTicket,
  validateTicket,
  type CreateTicketOptions,
  type CreatedTicket,
  type OpenedTicket,
} from './ticket-codec';
export type { TicketProblem } from './ticket-errors';
export { DEFAULT_KDF_PARAMS, KDF_LIMITS, MAX_CANDIDATES, MAX_LIFETIME_MINUTES, MAX_TICKET_FILE_BYTES, TICKET_EXTENSION, TICKET_FORMAT, TICKET_VERSION, type KdfParams } from './ticket-limits';
export { CandidateSchema, RelaySchema, SealedContentSchema, TicketSchema, type Candidate, type Relay, type SealedContent, type Ticket, type TicketMode } from './ticket-schema';
