/**
 * The session state machine both sides show (DESIGN.md section 1):
 * waiting → awaiting-consent → viewing ⇄ paused, viewing ⇄ controlling, any → ended.
 * The requester's main is authoritative; the helper mirrors the states it is told.
 */
export const SESSION_STATES = ['waiting', 'awaiting-consent', 'viewing', 'controlling', 'paused', 'ended'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

export type SessionEvent =
  | { type: 'linked' }
  | { type: 'consent-granted' }
  | { type: 'consent-declined' }
  | { type: 'control-granted' }
  | { type: 'control-revoked' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'end' };

export interface Machine {
  readonly state: SessionState;
  /** Where `resume` returns to (the state before `pause`). */
  readonly resumeTo: 'viewing' | 'controlling' | null;
}

export const INITIAL: Machine = { state: 'waiting', resumeTo: null };

/** Thrown for a transition the machine does not allow; callers log it and keep the old state. */
export class IllegalTransition extends Error {
  constructor(
    readonly from: SessionState,
    readonly event: SessionEvent['type'],
  ) {
    super(`illegal session transition: ${event} in ${from}`);
  }
}

/** Returns the next machine state, or throws IllegalTransition. Pure. */
export function transition(m: Machine, e: SessionEvent): Machine {
  const { state } = m;
  switch (e.type) {
    case 'linked':
      if (state === 'waiting') return { state: 'awaiting-consent', resumeTo: null };
      break;
    case 'consent-granted':
      if (state === 'awaiting-consent') return { state: 'viewing', resumeTo: null };
      break;
    case 'consent-declined':
      if (state === 'awaiting-consent') return { state: 'ended', resumeTo: null };
      break;
    case 'control-granted':
      if (state === 'viewing') return { state: 'controlling', resumeTo: null };
      break;
    case 'control-revoked':
      if (state === 'controlling') return { state: 'viewing', resumeTo: null };
      // Revoking while paused means: resume to viewing, not to controlling.
      if (state === 'paused') return { state: 'paused', resumeTo: 'viewing' };
      break;
    case 'pause':
      if (state === 'viewing' || state === 'controlling') return { state: 'paused', resumeTo: state };
      break;
    case 'resume':
      if (state === 'paused') return { state: m.resumeTo ?? 'viewing', resumeTo: null };
      break;
    case 'end':
      if (state !== 'ended') return { state: 'ended', resumeTo: null };
      break;
  }
  throw new IllegalTransition(state, e.type);
}

/** True while the helper holds control, including while paused with control to come back to. */
export function hasControl(m: Machine): boolean {
  return m.state === 'controlling' || m.resumeTo === 'controlling';
}

/** True while the helper may see the screen (frames flow). */
export function isSharing(state: SessionState): boolean {
  return state === 'viewing' || state === 'controlling';
}
