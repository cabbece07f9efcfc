import crypto from 'node:crypto';
import type { SessionView } from '../../src-shared/contract/index';
import { ControlMessage } from '../../src-shared/protocol/control';
import type { SessionState } from '../../src-shared/session/session-machine';
import type { PeerLink } from '../link/link-types';
import type { AppLogger } from '../platform/app-logger';
import type { AuditSink } from './session-ports';

export interface HelperSessionOptions {
  link: PeerLink;
  kind: 'invitation' | 'offer';
  iceServers: SessionView['iceServers'];
  iceTransportPolicy?: 'all' | 'relay';
  audit: AuditSink;
  logger: AppLogger;
  onChange: (view: SessionView) => void;
  now?: () => number;
}

/**
 * The helper's side of a session: mirrors the state the requester's main announces, asks for
 * control, forwards input. It decides nothing the requester has not granted.
 */
export class HelperSession {
  readonly id = crypto.randomUUID();
  private state: SessionState = 'awaiting-consent';
  private controlAllowed = false;
  private controlReason: string | null = 'Wait until they accept.';
  private controlPending = false;
  private endedReason: string | null = null;
  private notice: string | null = null;
  private readonly startedAt: number;
  private readonly now: () => number;
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly o: HelperSessionOptions) {
    this.now = o.now ?? Date.now;
    this.startedAt = this.now();
    this.disposers.push(o.link.channel('control').onMessage((h) => this.onControl(h)));
    this.disposers.push(o.link.onClose((info) => this.finish('system', `The connection to ${o.link.peerName} was lost (${info.message}).`)));
    o.audit({ type: 'session.started' });
  }

  view(): SessionView {
    return {
      sessionId: this.id,
      role: 'helper',
      kind: this.o.kind,
      state: this.state,
      peerName: this.o.link.peerName,
      peerAddress: this.o.link.peerAddress,
      startedAt: this.startedAt,
      controlAllowed: this.controlAllowed,
      controlReason: this.controlReason,
      controlPending: this.controlPending,
      endedReason: this.endedReason,
      notice: this.notice,
      iceServers: this.o.iceServers,
      ...(this.o.iceTransportPolicy ? { iceTransportPolicy: this.o.iceTransportPolicy } : {}),
    };
  }

  requestControl(): void {
    if (this.state !== 'viewing' || this.controlPending) return;
    this.controlPending = true;
    this.notice = null;
    this.o.audit({ type: 'control.requested' });
    this.send({ type: 'control.request' });
    this.publish();
  }

  /** Gives control back to the requester. */
  releaseControl(): void {
    if (this.state === 'controlling') this.send({ type: 'control.release' });
  }

  /** Forwards input; only while controlling (the requester's gate checks again, authoritatively). */
  input(events: unknown[]): void {
    if (this.state === 'controlling') this.send({ type: 'input', events });
  }

  end(): void {
    if (this.state === 'ended') return;
    this.send({ type: 'end', reason: 'ended by the helper' });
    this.finish('local', 'You ended the session.');
  }

  private onControl(raw: unknown): void {
    const parsed = ControlMessage.safeParse(raw);
    if (!parsed.success) {
      this.o.logger.warn('dropped a malformed control message from the requester');
      return;
    }
    const m = parsed.data;
    switch (m.type) {
      case 'state': {
        const before = this.state;
        if (before === 'ended') return;
        this.state = m.state;
        this.controlAllowed = m.controlAllowed;
        this.controlReason = m.controlReason;
        if (m.state === 'controlling' && before !== 'controlling') {
          this.controlPending = false;
          this.o.audit({ type: 'control.granted' });
        }
        if (m.state === 'viewing' && before === 'awaiting-consent') this.o.audit({ type: 'consent.granted', kind: 'view' });
        if (m.state === 'paused' && before !== 'paused') this.o.audit({ type: 'session.paused', by: 'peer' });
        if (before === 'paused' && m.state !== 'paused') this.o.audit({ type: 'session.resumed', by: 'peer' });
        this.publish();
        break;
      }
      case 'consent.declined':
        this.o.audit({ type: m.timedOut ? 'consent.timedOut' : 'consent.declined', kind: m.kind });
        this.finish('peer', m.timedOut ? `${this.o.link.peerName} did not answer in time, so the session was not started.` : `${this.o.link.peerName} declined to share their screen.`);
        break;
      case 'control.refused':
        this.controlPending = false;
        this.notice = m.reason;
        this.publish();
        break;
      case 'control.revoked':
        this.controlPending = false;
        this.o.audit({ type: 'control.revoked', by: m.by });
        this.notice = m.by === 'esc' || m.by === 'button' ? `${this.o.link.peerName} took back control.` : m.by === 'policy' ? 'Control ended: the administrator of that computer does not allow it.' : null;
        this.publish();
        break;
      case 'input.held': {
        // Only this notice is cleared by "free again": a newer one (control refused…) stays.
        const heldNotice = `${this.o.link.peerName} is answering a question on their screen; your mouse and keyboard work again once they have.`;
        if (m.held) this.notice = heldNotice;
        else if (this.notice === heldNotice) this.notice = null;
        this.publish();
        break;
      }
      case 'end':
        this.finish('peer', `${this.o.link.peerName} ended the session.`);
        break;
      default:
        this.o.logger.warn('ignored a control message the requester may not send', { type: m.type });
    }
  }

  private finish(by: 'local' | 'peer' | 'system', reason: string): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.controlPending = false;
    this.endedReason = reason;
    this.o.audit({ type: 'session.ended', by, reason, durationMs: this.now() - this.startedAt });
    this.publish();
    for (const d of this.disposers.splice(0)) d();
    setTimeout(() => this.o.link.close(reason), 50).unref?.();
  }

  private publish(): void {
    this.o.onChange(this.view());
  }

  private send(m: ControlMessage): void {
    if (!this.o.link.closed) this.o.link.channel('control').send(m);
  }
}
