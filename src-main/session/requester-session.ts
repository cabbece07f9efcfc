import crypto from 'node:crypto';
import type { SessionView } from '../../src-shared/contract/index';
import { ControlMessage, type RevokeBy } from '../../src-shared/protocol/control';
import { hasControl, INITIAL, IllegalTransition, transition, type Machine, type SessionEvent } from '../../src-shared/session/session-machine';
import type { PeerLink } from '../link/link-types';
import type { ConsentService } from '../consent/consent-service';
import { controlPrompt, viewPrompt } from '../consent/consent-texts';
import type { AppLogger } from '../platform/app-logger';
import type { AuditSink, ControlPermission, EchoCheck, SessionInputGate } from './session-ports';

export interface RequesterSessionOptions {
  link: PeerLink;
  kind: 'invitation' | 'offer';
  /** How the helper reached us, for the consent prompt ("They used your invitation from …"). */
  how: string;
  consent: ConsentService;
  gate: SessionInputGate;
  echo: EchoCheck;
  controlPermission: () => ControlPermission;
  customMessages: () => { view: string | null; control: string | null };
  consentTimeoutMs: () => number;
  iceServers: SessionView['iceServers'];
  iceTransportPolicy?: 'all' | 'relay';
  audit: AuditSink;
  logger: AppLogger;
  onChange: (view: SessionView) => void;
  now?: () => number;
}

/** After a declined control request, the helper must wait this long to ask again (no prompt spam). */
export const CONTROL_REQUEST_COOLDOWN_MS = 10_000;

/**
 * The requester's side of a session: authoritative for its state. Asks consent through main's
 * ConsentService, owns the input gate, and tells the helper every state change.
 */
export class RequesterSession {
  readonly id = crypto.randomUUID();
  private machine: Machine = INITIAL;
  private readonly startedAt: number;
  private endedReason: string | null = null;
  private notice: string | null = null;
  private controlPromptId: string | null = null;
  private viewPromptId: string | null = null;
  /** Whether the helper was last told its input is held back by a prompt here. */
  private toldHeld = false;
  private lastControlDecline = -Infinity;
  private readonly now: () => number;
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly o: RequesterSessionOptions) {
    this.now = o.now ?? Date.now;
    this.startedAt = this.now();
    const control = o.link.channel('control');
    this.disposers.push(control.onMessage((h) => this.onControl(h)));
    this.disposers.push(o.link.onClose((info) => this.finish('system', `The connection to ${o.link.peerName} was lost (${info.message}).`, 'link-loss')));
  }

  get state() {
    return this.machine.state;
  }

  view(): SessionView {
    const perm = this.o.controlPermission();
    return {
      sessionId: this.id,
      role: 'requester',
      kind: this.o.kind,
      state: this.machine.state,
      peerName: this.o.link.peerName,
      peerAddress: this.o.link.peerAddress,
      startedAt: this.startedAt,
      controlAllowed: perm.allowed,
      controlReason: perm.reason,
      controlPending: this.controlPromptId !== null,
      endedReason: this.endedReason,
      notice: this.notice,
      iceServers: this.o.iceServers,
      ...(this.o.iceTransportPolicy ? { iceTransportPolicy: this.o.iceTransportPolicy } : {}),
    };
  }

  /** Starts the session: asks to share the screen. Nothing is shared before Yes. */
  async start(): Promise<void> {
    this.o.audit({ type: 'session.started' });
    this.apply({ type: 'linked' });
    const custom = this.o.customMessages();
    const texts = viewPrompt(this.o.link.peerName, this.o.how, custom.view, this.o.kind);
    this.o.audit({ type: 'consent.asked', kind: 'view' });
    const a = await this.o.consent.ask({ kind: 'view', ...texts, yesLabel: 'Yes, show my screen', noLabel: 'No', folder: null, timeoutMs: this.o.consentTimeoutMs() }, (id) => (this.viewPromptId = id));
    this.viewPromptId = null;
    if (this.machine.state !== 'awaiting-consent') return;
    if (a.answer === 'yes') {
      this.o.audit({ type: 'consent.granted', kind: 'view' });
      this.apply({ type: 'consent-granted' });
      return;
    }
    const timedOut = a.answer === 'timeout';
    this.o.audit({ type: timedOut ? 'consent.timedOut' : 'consent.declined', kind: 'view' });
    this.send({ type: 'consent.declined', kind: 'view', timedOut });
    this.finish('local', timedOut ? 'Nobody answered the request to see the screen in time.' : 'You declined to share your screen.');
  }

  /** The requester's "Stop sharing control" button. */
  stopControl(by: RevokeBy = 'button'): void {
    if (!hasControl(this.machine)) return;
    this.revoke(by);
  }

  /** The requester's page saw Esc. Returns true if that took control back. */
  escape(): boolean {
    if (this.o.echo.isEcho('Escape')) return false;
    return this.desktopEscape();
  }

  /**
   * Esc was pressed somewhere on the requester's desktop (the watcher already told it from the
   * helper's Esc). Returns true if that took control back.
   */
  desktopEscape(): boolean {
    if (!hasControl(this.machine)) return false;
    this.revoke('esc');
    return true;
  }

  /** A consent prompt holds the helper's input back (or no longer does): the helper is told why nothing happens, if they have control. */
  inputHeld(held: boolean): void {
    // "Held" only matters to a helper with control; "free again" only after a "held".
    if (held ? !hasControl(this.machine) || this.toldHeld : !this.toldHeld) return;
    this.toldHeld = held;
    this.send({ type: 'input.held', held });
  }

  pause(paused: boolean): void {
    if (paused && (this.machine.state === 'viewing' || this.machine.state === 'controlling')) {
      this.o.gate.setPaused(true);
      this.apply({ type: 'pause' });
      this.o.audit({ type: 'session.paused', by: 'local' });
    } else if (!paused && this.machine.state === 'paused') {
      this.apply({ type: 'resume' });
      this.o.gate.setPaused(false);
      this.o.audit({ type: 'session.resumed', by: 'local' });
    }
  }

  /** Ends the session from this side. */
  end(reason = 'You ended the session.'): void {
    if (this.machine.state === 'ended') return;
    this.send({ type: 'end', reason: 'ended by the person being helped' });
    this.finish('local', reason);
  }

  /** Called when policy changes: control may have to end now. */
  policyChanged(): void {
    if (!this.o.controlPermission().allowed && hasControl(this.machine)) this.revoke('policy');
    this.publish();
  }

  private onControl(raw: unknown): void {
    const parsed = ControlMessage.safeParse(raw);
    if (!parsed.success) {
      this.o.logger.warn('dropped a malformed control message from the helper');
      return;
    }
    const m = parsed.data;
    switch (m.type) {
      case 'control.request':
        void this.onControlRequest();
        break;
      case 'control.release':
        this.stopControl('helper');
        break;
      case 'input':
        // The gate checks control and pause for every event; it is the only way to the injector.
        for (const e of m.events) this.o.gate.handle(e);
        break;
      case 'end':
        this.finish('peer', `${this.o.link.peerName} ended the session.`);
        break;
      default:
        this.o.logger.warn('ignored a control message the helper may not send', { type: m.type });
    }
  }

  private async onControlRequest(): Promise<void> {
    this.o.audit({ type: 'control.requested' });
    const refuse = (reason: string) => this.send({ type: 'control.refused', reason });
    if (this.machine.state !== 'viewing') return refuse('Control can be requested only while you are viewing the screen.');
    const perm = this.o.controlPermission();
    if (!perm.allowed) return refuse(perm.reason ?? 'Control is not allowed on this computer.');
    if (this.controlPromptId !== null || this.o.consent.busy) return refuse('The person you are helping is already answering a question; try again in a moment.');
    if (this.now() - this.lastControlDecline < CONTROL_REQUEST_COOLDOWN_MS) return refuse('Your last request was declined; wait a few seconds before asking again.');
    const texts = controlPrompt(this.o.link.peerName, this.o.customMessages().control);
    this.o.audit({ type: 'consent.asked', kind: 'control' });
    const pending = this.o.consent.ask({ kind: 'control', ...texts, yesLabel: 'Yes, share control', noLabel: 'No', folder: null, timeoutMs: this.o.consentTimeoutMs() }, (id) => (this.controlPromptId = id));
    this.publish();
    const a = await pending;
    this.controlPromptId = null;
    if (this.machine.state !== 'viewing' || !this.o.controlPermission().allowed) {
      this.publish();
      return refuse('The session changed before control could be shared.');
    }
    if (a.answer === 'yes') {
      this.o.audit({ type: 'consent.granted', kind: 'control' });
      this.o.gate.setControl(true);
      this.apply({ type: 'control-granted' });
      this.o.audit({ type: 'control.granted' });
      return;
    }
    this.lastControlDecline = this.now();
    this.o.audit({ type: a.answer === 'timeout' ? 'consent.timedOut' : 'consent.declined', kind: 'control' });
    refuse(a.answer === 'timeout' ? 'Nobody answered your request for control in time.' : `${this.o.link.localName} declined to share control.`);
    this.publish();
  }

  private revoke(by: RevokeBy): void {
    // Gate first: from this instant no input is injected, and held keys/buttons are released.
    this.o.gate.setControl(false);
    this.o.gate.releaseAll();
    if (this.machine.state === 'controlling' || this.machine.state === 'paused') this.apply({ type: 'control-revoked' });
    this.o.audit({ type: 'control.revoked', by });
    this.send({ type: 'control.revoked', by });
    this.notice = by === 'esc' ? 'You took back control (Esc).' : by === 'policy' ? 'Your administrator no longer allows control; it was taken back.' : null;
    this.publish();
  }

  private finish(by: 'local' | 'peer' | 'system', reason: string, revokeBy: RevokeBy = 'session-end'): void {
    if (this.machine.state === 'ended') return;
    const wasControlling = hasControl(this.machine);
    this.o.gate.setControl(false);
    this.o.gate.releaseAll();
    if (wasControlling) this.o.audit({ type: 'control.revoked', by: revokeBy });
    for (const id of [this.viewPromptId, this.controlPromptId]) if (id) this.o.consent.withdraw(id);
    this.endedReason = reason;
    this.machine = transition(this.machine, { type: 'end' });
    this.o.audit({ type: 'session.ended', by, reason, durationMs: this.now() - this.startedAt });
    this.publish();
    for (const d of this.disposers.splice(0)) d();
    // Give the 'end' message a moment to leave before the socket closes.
    setTimeout(() => this.o.link.close(reason), 50).unref?.();
  }

  private apply(e: SessionEvent): void {
    try {
      this.machine = transition(this.machine, e);
    } catch (err) {
      if (err instanceof IllegalTransition) {
        this.o.logger.warn('ignored an illegal session transition', { from: err.from, event: err.event });
        return;
      }
      throw err;
    }
    this.notice = null;
    this.publish();
  }

  private publish(): void {
    const v = this.view();
    if (!this.o.link.closed && v.state !== 'ended') this.send({ type: 'state', state: v.state, controlAllowed: v.controlAllowed, controlReason: v.controlReason });
    this.o.onChange(v);
  }

  private send(m: ControlMessage): void {
    if (!this.o.link.closed) this.o.link.channel('control').send(m);
  }
}
