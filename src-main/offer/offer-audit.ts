/**
 * Small pieces both sides of offers share: the audit line for a refused offer, the name a
 * handshake carries, and the link's diagnostics sink.
 */
import type { AuditLogService } from '../audit/audit-log';
import { sanitizePeerText } from '../link/link-messages';
import type { LinkLog } from '../link/link-options';
import type { AppLogger } from '../platform/app-logger';

/** An `offer.refused` event. */
export interface OfferRefusedEvent {
  type: 'offer.refused';
  helperName: string;
  fingerprint: string;
  reason: string;
}

/** Records a refused offer in the listener log (outside any session); a failing log never breaks the flow. */
export function recordOfferRefusal(audit: AuditLogService, logger: AppLogger, event: OfferRefusedEvent, role: 'requester' | 'helper', peerName: string, peerAddress: string): void {
  try {
    audit.recordStandalone(event, { kind: 'offer', role, peerName, peerAddress });
  } catch (e) {
    logger.error('could not record an offer refusal', { error: (e as Error).message });
  }
}

/** A name as the handshake carries it: one plain line of at most 64 characters. */
export function handshakeName(name: string, fallback: string): string {
  return sanitizePeerText(name, 64).replace(/…$/, '') || fallback;
}

/** The link's diagnostics, into the app log. */
export function linkLogFor(logger: AppLogger): LinkLog {
  return (level, message, fields) => logger.log(level, message, fields);
}
