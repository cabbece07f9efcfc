/**
 * The state of one open invitation and its wrong-password budget, shared by every connection.
 *
 * Why the budget is charged *before* the requester sends its share: with Yb and confirmB in hand,
 * a helper can test exactly one password offline. That guess must already be paid for, so the
 * charge happens first and is refunded only when the helper proves the password (valid confirmA).
 * A helper that takes the share and leaves keeps the charge: it had its guess.
 *
 * JavaScript runs one callback at a time, so `charge` (check + decrement) is atomic: concurrent
 * handshakes can never spend more than the budget.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { HandshakeFailureReason, Refusal } from './link-errors';

/** Where an invitation stands. 'expired' and 'closed' (cancelled) are final, like 'used' and 'locked'. */
export type InvitationState = 'open' | 'used' | 'locked' | 'expired' | 'closed';

/** One charged attempt. Exactly one of `succeed` / `fail` must be called. */
export interface AttemptTicket {
  /** The budget left if this attempt proves wrong (sent to the helper in `share`). */
  readonly attemptsLeftIfWrong: number;
  /** The helper proved the password: refund and claim the invitation, or say why it cannot be claimed any more. */
  succeed(): Refusal | null;
  /** The attempt ended without proof of the password; the charge stands. True when reported as a wrong attempt. */
  fail(cause: HandshakeFailureReason): boolean;
}

/** What the budget reports (the listener turns these into its events). */
export interface BudgetObserver {
  wrongAttempt(peerAddress: string, attemptsLeft: number, cause: HandshakeFailureReason): void;
  locked(): void;
  used(): void;
}

/** Gatekeeper for one invitation. */
export class InvitationBudget {
  private stateValue: InvitationState = 'open';
  private left: number;
  private pending = 0;
  private readonly idDigest: Buffer;

  constructor(
    invitationId: string,
    maxAttempts: number,
    readonly expiresAt: number,
    private readonly observer: BudgetObserver,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError('maxAttempts must be a positive integer');
    this.left = maxAttempts;
    this.idDigest = digest(invitationId);
  }

  get state(): InvitationState {
    if (this.stateValue === 'open' && this.now() >= this.expiresAt) this.stateValue = 'expired';
    return this.stateValue;
  }

  /** Attempts left in the budget (pending attempts already deducted). */
  get attemptsLeft(): number {
    return this.left;
  }

  /** Why a helper asking for `invitationId` must be refused now, or null if it may try. Charges nothing. */
  check(invitationId: string): Refusal | null {
    // Compared by digest in constant time: the id is not the password, but there is no reason to leak it byte by byte.
    if (!timingSafeEqual(digest(invitationId), this.idDigest)) {
      return { reason: 'unknown-invitation', message: 'This computer has no open invitation with that id. Check that you opened the latest invitation file.' };
    }
    switch (this.state) {
      case 'expired':
        return { reason: 'expired', message: `The invitation expired at ${new Date(this.expiresAt).toUTCString()}. Ask for a new invitation.`, expiresAt: this.expiresAt };
      case 'locked':
        return lockedRefusal();
      case 'used':
        return { reason: 'used', message: 'This invitation has already been used by another helper. Ask for a new invitation.' };
      case 'closed':
        return { reason: 'cancelled', message: 'The invitation was cancelled. Ask for a new invitation.' };
      case 'open':
        break;
    }
    if (this.left === 0) {
      return this.pending > 0 ? { reason: 'busy', message: 'Another connection attempt is in progress; try again in a few seconds.' } : lockedRefusal();
    }
    return null;
  }

  /** Atomically re-checks and charges one attempt. `peerAddress` is only passed back to the observer. */
  charge(invitationId: string, peerAddress = ''): { ticket: AttemptTicket } | { refusal: Refusal } {
    const refusal = this.check(invitationId);
    if (refusal) return { refusal };
    this.left--;
    this.pending++;
    let settled = false;
    const settle = () => {
      if (settled) throw new Error('attempt ticket settled twice');
      settled = true;
      this.pending--;
    };
    return {
      ticket: {
        attemptsLeftIfWrong: this.left,
        succeed: () => {
          settle();
          this.left++; // the helper knew the password: this was no guess
          const state = this.state;
          if (state !== 'open') return this.check(invitationId) ?? { reason: 'used', message: 'The invitation is no longer open.' };
          this.stateValue = 'used';
          this.observer.used();
          return null;
        },
        fail: (cause) => {
          settle();
          if (this.state !== 'open') return false;
          this.observer.wrongAttempt(peerAddress, this.left, cause);
          if (this.left === 0 && this.pending === 0) {
            this.stateValue = 'locked';
            this.observer.locked();
          }
          return true;
        },
      },
    };
  }

  /** Cancels the invitation (listener closed); pending handshakes can no longer claim it. */
  close(): void {
    if (this.state === 'open') this.stateValue = 'closed';
  }
}

function lockedRefusal(): Refusal {
  return { reason: 'locked', message: 'Too many wrong passwords were tried; ask for a new invitation.' };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
