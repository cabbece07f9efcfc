/**
 * Offer help (DESIGN.md section 4), the counterpart of InvitationService / HelperConnectService.
 *
 * Requester side (OfferReception, offer-reception.ts): the offer listener while policy allows
 * offers, the allow-list check, and the session that starts with the consent prompt.
 * Helper side (here): `offer(host)` reaches a computer by name, checks its pinned host key, and
 * attaches the helper session; every failure is a specific AppError. Plus the helper ID.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../src-shared/contract/errors';
import type { HelperIdentityView, OfferListenerStatus, RecentComputer } from '../../src-shared/contract/offer';
import type { EventHub } from '../../src-shared/rpc/event-hub';
import type { AuditLogService } from '../audit/audit-log';
import { auditSinkFor } from '../audit/session-audit';
import type { ChannelSchemas } from '../link/link-options';
import type { AppLogger } from '../platform/app-logger';
import type { PolicyService } from '../policy/policy-service';
import type { ProfilePaths } from '../profile/profile-paths';
import type { RequesterInput } from '../session/requester-input';
import type { SessionService } from '../session/session-service';
import { helperIdExportText, helperIdFileName } from './helper-id-export';
import { IdentityStore } from './identity-store';
import { KnownHosts } from './known-hosts';
import { handshakeName, linkLogFor, recordOfferRefusal } from './offer-audit';
import { connectToOffer } from './offer-connector';
import type { OfferLimits } from './offer-limits';
import { OfferReception } from './offer-reception';
import { parseOfferTarget } from './offer-target';
import { RecentComputers } from './recent-computers';

/** What the offer service needs. */
export interface OfferServiceDeps {
  policy: PolicyService;
  audit: AuditLogService;
  sessions: SessionService;
  hub: EventHub;
  logger: AppLogger;
  profile: ProfilePaths;
  userName: string;
  computerName: string;
  channelSchemas: ChannelSchemas;
  /** The input path for a new requester session (XTest on Linux …). */
  input: () => Promise<RequesterInput>;
  /** Bind the listener here (tests: 127.0.0.1); default all interfaces. */
  listenHost?: string;
  /** Tests: bind this port (0: any free one) instead of policy `offerListenerPort`. */
  listenPort?: number;
  /** Tests: shorter timers and limits. */
  handshakeTimeoutMs?: number;
  totalTimeoutMs?: number;
  limits?: Partial<OfferLimits>;
  /** Tests: the helper connects from this local address. */
  localAddress?: string;
}

/** Helper-side failures that are refusals worth an audit line (unreachable ones are not). */
const AUDITED_FAILURES = new Set(['not-allowed', 'busy', 'rate-limited', 'offers-disabled', 'bad-signature', 'bad-host-signature', 'host-key-changed', 'incompatible']);

/** Offers of help: the listener (requester) and `offer` (helper). */
export class OfferService {
  readonly identities: IdentityStore;
  readonly knownHosts: KnownHosts;
  private readonly recentList: RecentComputers;
  private readonly reception: OfferReception;
  private connecting = false;

  constructor(private readonly d: OfferServiceDeps) {
    this.identities = new IdentityStore(d.profile.configDir, d.logger);
    this.knownHosts = new KnownHosts(d.profile.configDir);
    this.recentList = new RecentComputers(d.profile.configDir, d.logger);
    this.reception = new OfferReception({ ...d, identities: this.identities });
  }

  /** Applies the policy once at startup (starts the listener if offers are allowed). */
  start(): Promise<void> {
    return this.policyChanged();
  }

  /** Re-applies policy: offers turned on start the listener, off stop it, a new port moves it. Changes are applied one at a time. */
  policyChanged(): Promise<void> {
    return this.reception.policyChanged();
  }

  /** The listener's state for the requester's status page and `offer.listenerStatus`. */
  listenerStatus(): OfferListenerStatus {
    return this.reception.status();
  }

  /** This profile's helper ID (the key is created on first use). */
  identity(): HelperIdentityView {
    const key = this.identities.helperIdentity();
    return { name: this.d.userName, fingerprint: key.fingerprint, exportText: helperIdExportText(this.d.userName, key.pair.publicKey), exportFileName: helperIdFileName(this.d.userName) };
  }

  /** The helper ID file; written to `savePath` (absolute, or a name in Downloads) when given. */
  async exportIdentity(savePath?: string): Promise<{ fileName: string; text: string; savedTo: string | null }> {
    const id = this.identity();
    if (!savePath) return { fileName: id.exportFileName, text: id.exportText, savedTo: null };
    const file = path.isAbsolute(savePath) ? savePath : path.join(this.d.profile.downloadsDir, path.basename(savePath));
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, id.exportText); // public facts only: an ordinary file
    } catch (e) {
      throw new AppError('io', `Your helper ID could not be saved to ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Choose another place.`);
    }
    return { fileName: path.basename(file), text: id.exportText, savedTo: file };
  }

  /** Computers offered help to recently, most recent first. */
  recent(): RecentComputer[] {
    return this.recentList.list();
  }

  /**
   * Helper: offers help to a computer and attaches the helper session once it accepted (its user
   * is then asked). Rejects with AppError; `details.reason` tells the page which case it is.
   */
  async offer(rawHost: string, explicitPort?: number): Promise<{ ok: true; computerName: string; hostFingerprint: string; firstContact: boolean }> {
    if (this.connecting) throw new AppError('conflict', 'Already connecting to a computer.');
    if (this.d.sessions.busy) throw new AppError('conflict', 'A session is already running. End it before offering help to someone else.');
    const defaultPort = this.d.policy.value('offerListenerPort');
    const target = parseOfferTarget(rawHost, explicitPort, defaultPort);
    const me = this.identities.helperIdentity();
    const helperName = handshakeName(this.d.userName, 'helper');
    this.connecting = true;
    try {
      const r = await connectToOffer({
        host: target.host,
        port: target.port,
        defaultPort,
        identity: me.pair,
        helperFingerprint: me.fingerprint,
        helperName,
        knownHosts: this.knownHosts,
        channelSchemas: this.d.channelSchemas,
        logger: linkLogFor(this.d.logger),
        ...(this.d.totalTimeoutMs !== undefined ? { totalTimeoutMs: this.d.totalTimeoutMs } : {}),
        ...(this.d.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: this.d.handshakeTimeoutMs } : {}),
        ...(this.d.localAddress ? { localAddress: this.d.localAddress } : {}),
        onHostProven: (host) => this.recentList.add({ host: target.host, port: target.port === defaultPort ? null : target.port, computerName: host.computerName }),
      });
      let log;
      try {
        log = await this.d.audit.openSession({ kind: 'offer', role: 'helper', required: this.d.policy.value('loggingRequired'), peerName: r.host.computerName, peerAddress: r.peerAddress });
      } catch (e) {
        r.link.close('The helper could not write the session log that their administrator requires.');
        throw e;
      }
      const audit = auditSinkFor(log, this.d.logger);
      audit({ type: 'connection.attempt', peerAddress: r.peerAddress });
      audit({ type: 'note', text: `Offered help to ${target.host}; its host key ${r.host.fingerprint} ${r.firstContact ? 'was seen for the first time and pinned' : 'matches the pinned one'}.` });
      this.d.sessions.attachHelper({ link: r.link, kind: 'offer', audit, onEnded: () => log.close() });
      return { ok: true, computerName: r.host.computerName, hostFingerprint: r.host.fingerprint, firstContact: r.firstContact };
    } catch (e) {
      const reason = e instanceof AppError ? e.details?.reason : undefined;
      if (typeof reason === 'string' && AUDITED_FAILURES.has(reason)) {
        recordOfferRefusal(this.d.audit, this.d.logger, { type: 'offer.refused', helperName, fingerprint: me.fingerprint, reason }, 'helper', target.host, `${target.host}:${target.port}`);
      }
      throw e;
    } finally {
      this.connecting = false;
    }
  }

  /** Stops the listener (handshakes in progress are refused). Running sessions are the session service's. */
  dispose(): Promise<void> {
    return this.reception.dispose();
  }
}
