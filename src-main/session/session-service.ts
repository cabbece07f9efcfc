import type { SessionView } from '../../src-shared/contract/index';
import { AppError } from '../../src-shared/contract/errors';
import type { EventHub } from '../../src-shared/rpc/event-hub';
import { SignalMessage, type SignalData } from '../../src-shared/protocol/control';
import type { PeerLink } from '../link/link-types';
import type { AppLogger } from '../platform/app-logger';
import { ChatService } from './chat-service';
import { HelperSession } from './helper-session';
import { RequesterSession, type RequesterSessionOptions } from './requester-session';
import type { AuditSink } from './session-ports';
import type { FileTransferService } from '../files/file-transfer-service';

/** Per-session inputs the caller (invitation or offer flow) knows. */
export interface AttachCommon {
  link: PeerLink;
  kind: 'invitation' | 'offer';
  audit: AuditSink;
  /** Called once when the session has ended (close the audit log, release the listener …). */
  onEnded?: () => void;
  /** ICE servers for this session only (TURN credentials the relay minted for this pair), tried before the configured ones. */
  iceServers?: SessionView['iceServers'];
}

export type AttachRequester = AttachCommon & Pick<RequesterSessionOptions, 'how' | 'controlPermission' | 'gate' | 'echo'>;

export interface SessionServiceDeps {
  hub: EventHub;
  logger: AppLogger;
  /** Everything a requester session needs that does not change per session. */
  requesterDeps: () => Pick<RequesterSessionOptions, 'consent' | 'customMessages' | 'consentTimeoutMs'>;
  iceServers: () => SessionView['iceServers'];
  /** 'relay' makes the pages use TURN only (policy `iceTransportPolicy`); default 'all'. */
  iceTransportPolicy?: () => 'all' | 'relay';
  /** Builds the session's file transfer service on its link. */
  createFiles: (a: { link: PeerLink; side: 'requester' | 'helper'; audit: AuditSink }) => FileTransferService;
}

type Active = { session: RequesterSession | HelperSession; chat: ChatService; files: FileTransferService; link: PeerLink; disposers: (() => void)[] };

/**
 * Holds this instance's one session (requester or helper), publishes its state and chat to the
 * page, and carries WebRTC signalling between the page and the link.
 */
export class SessionService {
  private active: Active | null = null;

  constructor(private readonly d: SessionServiceDeps) {}

  /** True while a session is running (not ended). */
  get busy(): boolean {
    return !!this.active && this.active.session.view().state !== 'ended';
  }

  view(): SessionView | null {
    return this.active?.session.view() ?? null;
  }

  /** Starts the requester's side on a fresh link: asks consent, then shares. */
  attachRequester(a: AttachRequester): RequesterSession {
    this.ensureFree(a.link);
    const chat = this.makeChat(a);
    const session: RequesterSession = new RequesterSession({
      link: a.link,
      kind: a.kind,
      how: a.how,
      controlPermission: a.controlPermission,
      gate: a.gate,
      echo: a.echo,
      ...this.d.requesterDeps(),
      ...this.ice(a),
      audit: a.audit,
      logger: this.d.logger,
      onChange: (v) => this.changed(session, v, a),
    });
    this.install(session, chat, a, 'requester');
    void session.start();
    return session;
  }

  /** Starts the helper's side on a fresh link: waits for the requester's consent. */
  attachHelper(a: AttachCommon): HelperSession {
    this.ensureFree(a.link);
    const chat = this.makeChat(a);
    const session: HelperSession = new HelperSession({ link: a.link, kind: a.kind, ...this.ice(a), audit: a.audit, logger: this.d.logger, onChange: (v) => this.changed(session, v, a) });
    this.install(session, chat, a, 'helper');
    this.changed(session, session.view(), a);
    return session;
  }

  /** The ICE configuration of a new session: its own servers first, then the configured ones. */
  private ice(a: AttachCommon): { iceServers: SessionView['iceServers']; iceTransportPolicy: 'all' | 'relay' } {
    return { iceServers: [...(a.iceServers ?? []), ...this.d.iceServers()], iceTransportPolicy: this.d.iceTransportPolicy?.() ?? 'all' };
  }

  requester(): RequesterSession {
    const s = this.active?.session;
    if (!(s instanceof RequesterSession) || s.state === 'ended') throw new AppError('conflict', 'Only the person sharing their screen can do this, during a session.');
    return s;
  }

  helper(): HelperSession {
    const s = this.active?.session;
    if (!(s instanceof HelperSession) || s.view().state === 'ended') throw new AppError('conflict', 'Only the helper can do this, during a session.');
    return s;
  }

  /** Ends the running session from this side, whichever role. */
  end(): void {
    this.active?.session.end();
  }

  /** Forgets an ended session so the page returns to the start screen. */
  dismiss(): void {
    if (this.busy) throw new AppError('conflict', 'End the session first.');
    this.active = null;
    this.d.hub.emit('session.state', { session: null });
  }

  /** The running (or just ended) session's file transfers. */
  files(): FileTransferService | null {
    return this.active?.files ?? null;
  }

  chat() {
    if (!this.active) throw new AppError('conflict', 'There is no session to chat in.');
    return this.active.chat;
  }

  /** Sends the page's WebRTC signalling to the other side. */
  signal(data: SignalData): void {
    if (!this.busy || !this.active) throw new AppError('conflict', 'There is no session to send the screen to.');
    this.active.link.channel('signal').send({ type: 'signal', data });
  }

  /** Called when policy changes, so a running session can apply it (e.g. revoke control). */
  policyChanged(): void {
    const s = this.active?.session;
    if (s instanceof RequesterSession) s.policyChanged();
  }

  private ensureFree(link: PeerLink): void {
    if (this.busy) {
      link.close('busy');
      throw new AppError('conflict', 'A session is already running; end it before starting another.');
    }
  }

  private makeChat(a: AttachCommon): ChatService {
    return new ChatService(a.link, a.audit, (entry) => this.d.hub.emit('chat.message', { entry }), this.d.logger);
  }

  private install(session: RequesterSession | HelperSession, chat: ChatService, a: AttachCommon, side: 'requester' | 'helper'): void {
    const signalOff = a.link.channel('signal').onMessage((raw) => {
      const m = SignalMessage.safeParse(raw);
      if (m.success) this.d.hub.emit('session.signal', { data: m.data.data });
      else this.d.logger.warn('dropped a malformed signalling message');
    });
    const files = this.d.createFiles({ link: a.link, side, audit: a.audit });
    this.active = { session, chat, files, link: a.link, disposers: [signalOff] };
  }

  private changed(session: RequesterSession | HelperSession, view: SessionView, a: AttachCommon): void {
    if (this.active?.session !== session) return;
    this.d.hub.emit('session.state', { session: view });
    if (view.state === 'ended') {
      for (const d of this.active.disposers.splice(0)) d();
      this.active.chat.close();
      const files = this.active.files;
      // Transfers end with the session; their .part files are removed before the log closes.
      void files.dispose('the session ended').finally(() => a.onEnded?.());
    }
  }
}
