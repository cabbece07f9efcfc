import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../src-shared/contract/errors';
import type { InvitationView } from '../../src-shared/contract/index';
import type { EventHub } from '../../src-shared/rpc/event-hub';
import type { AuditLogService } from '../audit/audit-log';
import type { SessionLog } from '../audit/session-log';
import { auditSinkFor } from '../audit/session-audit';
import { startInvitationListener, type InvitationListener } from '../link/invitation-listener';
import type { ChannelSchemas, LinkLog } from '../link/link-options';
import type { PolicyService } from '../policy/policy-service';
import type { FirewallProbe } from '../platform/firewall/firewall-probe';
import type { AppLogger } from '../platform/app-logger';
import type { ProfilePaths } from '../profile/profile-paths';
import type { SessionService } from '../session/session-service';
import type { RequesterInput } from '../session/requester-input';
import { controlPermissionFor } from '../session/control-permission';
import { localCandidates } from './candidates';
import { resolveLifetime } from './expiry';
import { createTicket } from './ticket-codec';
import type { KdfParams } from './ticket-limits';
import { newPairingId } from '../relay/relay-protocol';
import { registerRelayCode, removeRelayCode } from '../relay/relay-client';
import { formatEasyConnectCode } from './easy-connect-code';
import { checkCreateRequest, type CreateInvitationRequest } from './invitation-request';
import { presentOnRelay, type RelayPresence } from './invitation-relay';

export interface InvitationServiceDeps {
  policy: PolicyService;
  audit: AuditLogService;
  sessions: SessionService;
  hub: EventHub;
  logger: AppLogger;
  profile: ProfilePaths;
  firewall: FirewallProbe | null;
  userName: string;
  computerName: string;
  channelSchemas: ChannelSchemas;
  /** The input path for a new requester session (XTest on Linux …). */
  input: () => Promise<RequesterInput>;
  /** Bind the listener here (tests: 127.0.0.1); default all interfaces. */
  listenHost?: string;
  /** scrypt cost for the file (tests use a cheap one). */
  kdf?: KdfParams;
}

interface OpenInvitation {
  id: string;
  listener: InvitationListener;
  log: SessionLog;
  view: InvitationView;
  fileText: string;
  /** Hosting at the relay, when one is configured. */
  relay: RelayPresence | null;
}

/** Wrong-password budget of every invitation (also the relay-side join budget of its code). */
const MAX_ATTEMPTS = 5;

/**
 * The requester's invitations: creates the file, runs its listener, and turns the one helper who
 * proves the password into a session. Policy is enforced here, in main: disabled invitations,
 * view-only control, encrypted-only files and the maximum lifetime.
 */
export class InvitationService {
  private current: OpenInvitation | null = null;

  constructor(private readonly d: InvitationServiceDeps) {}

  view(): InvitationView | null {
    return this.current?.view ?? null;
  }

  /**
   * Creates the invitation: a file (sealed with the password) or, with `easyConnect`, a code
   * registered at the relay. With a relay configured, the invitation is also hosted there; with
   * direct connections off (policy), only there.
   */
  async create(req: CreateInvitationRequest): Promise<{ invitation: InvitationView; fileText: string; lifetimeCapped: boolean; easyConnectCode?: string }> {
    const { policy } = this.d;
    const { easy, relayUrl, direct, password } = checkCreateRequest(req, policy);
    if (this.d.sessions.busy) throw new AppError('conflict', 'A session is already running. End it before creating a new invitation.');
    const { minutes, capped } = resolveLifetime(req.lifetimeMinutes, policy.value('maxInvitationMinutes'));
    if (this.current?.view.state === 'open') await this.cancel('replaced');

    // The log comes first: if the administrator requires logging and it cannot be written, nothing starts.
    const log = await this.d.audit.openSession({ kind: 'invitation', role: 'requester', required: policy.value('loggingRequired') });
    const audit = auditSinkFor(log, this.d.logger);
    const id = crypto.randomBytes(16).toString('base64url');
    const now = Date.now();
    const requestedExpiry = now + minutes * 60_000;
    let expiresAt = requestedExpiry;
    const pairingId = relayUrl ? newPairingId() : null;
    let code: { codeId: string; expiresAt: number } | null = null;
    if (easy) {
      try {
        code = await registerRelayCode({
          url: relayUrl!,
          pairingId: pairingId!,
          info: { invitationId: id, requesterName: this.d.userName, computerName: this.d.computerName.slice(0, 128), allowControl: policy.value('allowControl') },
          expiresAt,
          maxJoins: MAX_ATTEMPTS,
          timeoutMs: 10_000,
        });
      } catch (e) {
        log.close();
        throw e;
      }
      // The relay may keep codes for less time than asked: the invitation cannot outlive its only way in.
      expiresAt = Math.min(expiresAt, code.expiresAt);
    }
    let listener: InvitationListener;
    try {
      listener = await startInvitationListener({
        invitationId: id,
        password,
        requesterName: this.d.userName,
        expiresAt,
        maxAttempts: MAX_ATTEMPTS,
        channelSchemas: this.d.channelSchemas,
        logger: this.linkLog(),
        // Relay only: the port must not be reachable from the network at all, so loopback.
        ...(!direct || easy ? { host: '127.0.0.1' } : this.d.listenHost ? { host: this.d.listenHost } : {}),
      });
    } catch (e) {
      log.close();
      if (code) void removeRelayCode({ url: relayUrl!, pairingId: pairingId!, codeId: code.codeId, timeoutMs: 5000 }).catch(() => {});
      throw e instanceof AppError ? e : new AppError('io', `Remote Assist could not open a network port for the invitation: ${(e as Error).message}`);
    }
    const mode = req.compatibility ? 'compatibility' : 'encrypted';
    let fileText = '';
    let fileName = '';
    let createdAt = new Date(now).toISOString();
    let expiresText = new Date(expiresAt).toISOString();
    let savedTo: string | null = null;
    if (!easy) {
      try {
        const created = await createTicket({
          id,
          password,
          requester: { userName: this.d.userName, computerName: this.d.computerName },
          allowControl: policy.value('allowControl'),
          mode,
          candidates: direct ? localCandidates(listener.port) : [],
          ...(relayUrl && pairingId ? { relay: { url: relayUrl, pairingId } } : {}),
          lifetimeMinutes: minutes,
          now: new Date(now),
          ...(this.d.kdf ? { kdf: this.d.kdf } : {}),
        });
        ({ fileText, fileName } = created);
        ({ createdAt, expiresAt: expiresText } = created.ticket);
      } catch (e) {
        await listener.close();
        log.close();
        throw e;
      }
      savedTo = req.savePath ? await this.save(req.savePath, fileName, fileText, listener, log) : null;
    }
    const view: InvitationView = {
      invitationId: id,
      state: 'open',
      createdAt,
      expiresAt: expiresText,
      mode,
      allowControl: policy.value('allowControl'),
      attemptsLeft: listener.attemptsLeft,
      port: listener.port,
      savedTo,
      fileName,
      lastEvent: null,
      firewallNotice: null,
      easyConnect: easy,
      relayStatus: relayUrl ? 'Connecting to the relay…' : null,
      direct: direct && !easy,
    };
    const inv: OpenInvitation = { id, listener, log, view, fileText, relay: null };
    this.current = inv;
    if (relayUrl && pairingId) {
      inv.relay = presentOnRelay(listener, {
        url: relayUrl,
        pairingId,
        ...(code ? { codeId: code.codeId } : {}),
        logger: this.linkLog(),
        onStatus: (text) => inv.view.state === 'open' && this.update(inv, { relayStatus: text }),
      });
    }
    audit({ type: 'invitation.created', invitationId: id, expiresAt: expiresText, mode: mode === 'encrypted' ? 'encrypted-only' : 'compatibility', allowControl: view.allowControl });
    this.watch(inv, audit);
    this.publish();
    if (view.direct) void this.checkFirewall(inv);
    const result = { invitation: view, fileText, lifetimeCapped: capped || expiresAt < requestedExpiry };
    return code ? { ...result, easyConnectCode: formatEasyConnectCode({ codeId: code.codeId, password }) } : result;
  }

  /** Cancels the open invitation (the requester's button, a replacement, or policy). */
  async cancel(why: 'user' | 'replaced' | 'policy' = 'user'): Promise<void> {
    const inv = this.current;
    if (!inv || inv.view.state !== 'open') throw new AppError('not-found', 'There is no open invitation to cancel.');
    this.update(inv, { state: 'cancelled', lastEvent: why === 'policy' ? 'Your administrator turned off invitations, so this invitation was closed.' : null });
    const audit = auditSinkFor(inv.log, this.d.logger);
    audit({ type: 'invitation.cancelled', invitationId: inv.id });
    await inv.relay?.stop();
    await inv.listener.close();
    await this.retire(inv, audit);
  }

  /**
   * Closes a finished invitation's log, first deleting the file main saved for it (a closed
   * invitation can no longer be used, but the file still says who asked and from where).
   */
  private async retire(inv: OpenInvitation, audit: ReturnType<typeof auditSinkFor>): Promise<void> {
    const file = inv.view.savedTo;
    if (file) {
      try {
        await fs.unlink(file);
        audit({ type: 'invitation.deleted', invitationId: inv.id });
        this.update(inv, { savedTo: null });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.d.logger.warn('could not delete a closed invitation file', { file, error: (e as Error).message });
      }
    }
    inv.log.close();
  }

  /**
   * The open invitation's file on disk, for e-mailing it: saved into the downloads folder first if
   * it was not saved yet (or was deleted since). Only the file is written, never the password.
   */
  async ensureSaved(): Promise<string> {
    const inv = this.current;
    if (!inv || inv.view.state !== 'open') throw new AppError('not-found', 'There is no open invitation to send. Create an invitation first.');
    if (inv.view.easyConnect) throw new AppError('conflict', 'This invitation is an Easy Connect code, not a file: read the code to your helper instead (by phone or in person).');
    const existing = inv.view.savedTo;
    if (existing && (await fs.stat(existing).then((st) => st.isFile(), () => false))) return existing;
    const file = path.join(this.d.profile.downloadsDir, inv.view.fileName);
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, inv.fileText, { mode: 0o600 });
    } catch (e) {
      throw new AppError('io', `The invitation could not be saved to ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}. Use "Save invitation file" to save it somewhere else, then attach it to an e-mail yourself.`);
    }
    this.update(inv, { savedTo: file });
    return file;
  }

  /** Applies a policy change: invitations turned off close the open one at once. */
  policyChanged(): void {
    if (!this.d.policy.value('allowInvitations') && this.current?.view.state === 'open') void this.cancel('policy').catch(() => {});
  }

  async dispose(): Promise<void> {
    if (this.current?.view.state === 'open') await this.cancel('user').catch(() => {});
  }

  private watch(inv: OpenInvitation, audit: ReturnType<typeof auditSinkFor>): void {
    const l = inv.listener;
    l.on('attempt', ({ peerAddress }) => audit({ type: 'connection.attempt', peerAddress }));
    l.on('wrong-password', ({ peerAddress, attemptsLeft }) => {
      audit({ type: 'password.failed', peerAddress, attemptsLeft });
      this.update(inv, { attemptsLeft, lastEvent: `Someone ${from(peerAddress)} tried a wrong ${inv.view.easyConnect ? 'code' : 'password'} (${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left).` });
    });
    l.on('handshake-failed', ({ peerAddress, reason }) => audit({ type: 'handshake.failed', peerAddress, reason }));
    l.on('locked', ({ maxAttempts }) => {
      audit({ type: 'invitation.locked', invitationId: inv.id, attempts: maxAttempts });
      this.update(inv, { state: 'locked', attemptsLeft: 0, relayStatus: null });
      void inv.relay?.stop();
      void this.retire(inv, audit);
    });
    l.on('expired', () => {
      if (inv.view.state !== 'open') return;
      audit({ type: 'invitation.expired', invitationId: inv.id });
      this.update(inv, { state: 'expired', relayStatus: null });
      void inv.relay?.stop();
      void l.close();
      void this.retire(inv, audit);
    });
    l.on('linked', ({ link, helperName, peerAddress }) => void this.startSession(inv, audit, link, helperName, peerAddress));
  }

  private async startSession(inv: OpenInvitation, audit: ReturnType<typeof auditSinkFor>, link: Parameters<SessionService['attachRequester']>[0]['link'], helperName: string, peerAddress: string): Promise<void> {
    this.update(inv, { state: 'connected', lastEvent: `${helperName} connected ${from(peerAddress)}.`, relayStatus: null });
    inv.log.setPeer(helperName, peerAddress);
    // The code is used up: take it off the relay. The TURN credentials of the pair stay valid.
    const iceServers = inv.relay?.iceServers() ?? [];
    void inv.relay?.stop();
    const input = await this.d.input();
    try {
      const session = this.d.sessions.attachRequester({
        link,
        kind: 'invitation',
        how: `They used the ${inv.view.easyConnect ? 'Easy Connect code you gave them' : 'invitation you created'}, and connected ${from(peerAddress)}.`,
        iceServers,
        gate: input.gate,
        echo: input.echo,
        controlPermission: () => controlPermissionFor(this.d.policy, 'invitation', inv.view.allowControl, input.unavailable),
        audit,
        onEnded: () => {
          void input.close();
          inv.log.close();
        },
      });
      input.attach(session);
    } catch (e) {
      this.d.logger.error('could not start the session', { error: (e as Error).message });
      link.close('busy');
      void input.close();
      inv.log.close();
    }
  }

  private async save(target: string, fileName: string, text: string, listener: InvitationListener, log: SessionLog): Promise<string> {
    const file = path.isAbsolute(target) ? target : path.join(this.d.profile.downloadsDir, target || fileName);
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, text, { mode: 0o600 });
      return file;
    } catch (e) {
      await listener.close();
      log.close();
      throw new AppError('io', `The invitation could not be saved to ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}. Choose another place.`);
    }
  }

  private async checkFirewall(inv: OpenInvitation): Promise<void> {
    if (!this.d.firewall) return;
    try {
      const r = await this.d.firewall.probe(inv.view.port, 'tcp');
      if (r.status === 'blocked' && inv.view.state === 'open') {
        this.update(inv, { firewallNotice: `Your firewall (${r.firewall}) blocks port ${inv.view.port}, so your helper may not be able to connect. ${r.detail}${r.howToAllow ? ` To allow it: ${r.howToAllow}` : ''}` });
      }
    } catch (e) {
      this.d.logger.warn('firewall probe failed', { error: (e as Error).message });
    }
  }

  private update(inv: OpenInvitation, patch: Partial<InvitationView>): void {
    inv.view = { ...inv.view, ...patch };
    if (this.current === inv) this.publish();
  }

  private publish(): void {
    this.d.hub.emit('invitation.state', { invitation: this.view() });
  }

  private linkLog(): LinkLog {
    return (level, message, fields) => this.d.logger.log(level === 'debug' ? 'debug' : level, message, fields);
  }
}

/** "from 10.0.0.5:4000", or "via relay wss://…" as it stands. */
function from(peerAddress: string): string {
  return peerAddress.startsWith('via ') ? peerAddress : `from ${peerAddress}`;
}
