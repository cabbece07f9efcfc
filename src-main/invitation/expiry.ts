// How long a new invitation stays open. The white paper's policy is "the maximum amount of time
// an invitation can remain open"; the user may ask for less, never more.
import { AppError } from '../../src-shared/contract/errors';
import { MAX_LIFETIME_MINUTES } from './ticket-limits';

/** When neither the user nor policy says otherwise: 6 hours, as Windows Remote Assistance does. */
export const DEFAULT_LIFETIME_MINUTES = 360;
/** Shorter than this and the helper cannot even open the e-mail in time. */
export const MIN_LIFETIME_MINUTES = 1;

/** The lifetime to use, and whether the maximum (policy or settings) shortened it. */
export interface ResolvedLifetime {
  minutes: number;
  /** True when the requested (or default) lifetime was longer than `maxMinutes`: say so in the UI. */
  capped: boolean;
}

/**
 * The lifetime in whole minutes for a new invitation: `requestedMinutes` (default 6 hours),
 * at least 1 minute, at most `maxMinutes` (itself clamped to 1 minute … 30 days).
 */
export function resolveLifetime(requestedMinutes: number | undefined, maxMinutes: number): ResolvedLifetime {
  if (requestedMinutes !== undefined && !Number.isFinite(requestedMinutes)) {
    throw new AppError('invalid-input', 'The invitation lifetime must be a number of minutes.');
  }
  // A broken policy value must not make invitations unusable (0) or unbounded (Infinity).
  const max = Number.isFinite(maxMinutes) ? Math.min(MAX_LIFETIME_MINUTES, Math.max(MIN_LIFETIME_MINUTES, Math.floor(maxMinutes))) : MAX_LIFETIME_MINUTES;
  const wanted = Math.max(MIN_LIFETIME_MINUTES, Math.round(requestedMinutes ?? DEFAULT_LIFETIME_MINUTES));
  return wanted > max ? { minutes: max, capped: true } : { minutes: wanted, capped: false };
}
