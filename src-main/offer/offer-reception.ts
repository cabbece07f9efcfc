/**
 * Receiving offers on the requester's computer: runs the offer listener while policy
 * `allowOffers` is on (started, moved or stopped on every policy change, one change at a time),
 * checks each authenticated helper against the allow-list, and turns a listed one into a session
 * whose first step is the consent prompt. Refusals of a helper who named a key are audited.
 */
import { AppError } from '../../src-shared/contract/errors';
import type { OfferListenerStatus } from '../../src-shared/contract/offer';
import { auditSinkFor } from '../audit/session-audit';
import { sanitizePeerText } from '../link/link-messages';
import { controlPermissionFor } from '../session/control-permission';
import { allowListCount, findListedHelper } from './allow-list';
import { normalizeFingerprint } from './fingerprint';
import type { IdentityStore } from './identity-store';
import { handshakeName, linkLogFor, recordOfferRefusal } from './offer-audit';
import type { OfferRefusal } from './offer-errors';
import { notAllowedMessage } from './offer-failure-text';
import type { Authorization, ProvenHelper } from './offer-handshake';
import { startOfferListener, type OfferListener, type OfferListenerEvents } from './offer-listener';
import type { OfferServiceDeps } from './offer-service';

/** The requester's side of offers. */
export class OfferReception {
  private listener: OfferListener | null = null;
  private listenerPort: number | null = null;
  private listenerError: string | null = null;
  private applying: Promise<void> = Promise.resolve();
  /** An authenticated helper's session is being set up (between the handshake and attachRequester). */
  private starting = false;
  private disposed = false;

  constructor(private readonly d: OfferServiceDeps & { identities: IdentityStore }) {}

  /** Re-applies policy: offers on start the listener, off stop it, a new port moves it. */
  policyChanged(): Promise<void> {
    this.applying = this.applying.then(() => this.apply()).catch((e: unknown) => this.d.logger.error('could not apply the offer policy', { error: (e as Error).message }));
    return this.applying;
  }

  /** The listener's state for the requester's status page and `offer.listenerStatus`. */
  status(): OfferListenerStatus {
    const { policy } = this.d;
    let hostFingerprint: string | null;
    try {
      hostFingerprint = this.d.identities.peek('host-key')?.fingerprint ?? null;
    } catch {
      hostFingerprint = null; // a damaged key file is reported by `error` when the listener tries to start
    }
    return {
      enabled: policy.value('allowOffers'),
      listening: this.listener !== null,
      port: this.listener?.port ?? this.d.listenPort ?? policy.value('offerListenerPort'),
      error: this.listenerError,
      allowListCount: allowListCount({ offerHelpers: policy.value('offerHelpers'), offerAdmins: policy.value('offerAdmins') }),
      hostFingerprint,
      computerName: this.d.computerName,
    };
  }

  /** Stops the listener for good (handshakes in progress are refused). Running sessions are the session service's. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.applying;
    await this.stopListener({ reason: 'offers-disabled', message: 'Remote Assist is closing on this computer.' });
  }

  private async apply(): Promise<void> {
    const enabled = this.d.policy.value('allowOffers') && !this.disposed;
    const port = this.d.listenPort ?? this.d.policy.value('offerListenerPort');
    if (this.listener && (!enabled || port !== this.listenerPort)) await this.stopListener();
    if (!enabled) this.listenerError = null;
    if (enabled && !this.listener) await this.startListener(port);
    if (enabled) this.warnUnusableEntries();
    this.d.hub.emit('offer.listener', this.status());
  }

  /** Allow-list entries whose fingerprint is not a helper ID match nobody: say so where an administrator will look. */
  private warnUnusableEntries(): void {
    const { policy } = this.d;
    const bad = [...policy.value('offerHelpers'), ...policy.value('offerAdmins')].filter((e) => normalizeFingerprint(e.fingerprint) === null);
    if (bad.length) this.d.logger.warn('offer allow-list entries with a fingerprint that is not a helper ID (SHA256: and 43 characters) are ignored', { names: bad.map((e) => e.name).slice(0, 20) });
  }

  private async startListener(port: number): Promise<void> {
    try {
      const hostKey = this.d.identities.hostKey();
      const listener = await startOfferListener({
        ...(this.d.listenHost ? { host: this.d.listenHost } : {}),
        port,
        hostKey: hostKey.pair,
        computerName: handshakeName(this.d.computerName, 'computer'),
        gate: () => this.gate(),
        authorize: (helper) => this.authorize(helper),
        channelSchemas: this.d.channelSchemas,
        logger: linkLogFor(this.d.logger),
        ...(this.d.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: this.d.handshakeTimeoutMs } : {}),
        ...(this.d.limits ? { limits: this.d.limits } : {}),
      });
      listener.on('refused', (e) => this.onRefused(e));
      listener.on('linked', (e) => void this.onLinked(e));
      this.listener = listener;
      this.listenerPort = port;
      this.listenerError = null;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      this.listenerError =
        e instanceof AppError
          ? e.message
          : code === 'EADDRINUSE'
            ? `Port ${port} is already in use by another program, so this computer cannot receive offers of help. Ask your administrator to choose another offer listener port.`
            : `The offer listener could not start on port ${port} (${code ?? (e as Error).message}).`;
      this.d.logger.error('offer listener not started', { port, error: this.listenerError });
    }
  }

  private async stopListener(refusal?: OfferRefusal): Promise<void> {
    const l = this.listener;
    if (!l) return;
    this.listener = null;
    this.listenerPort = null;
    await l.close(refusal);
  }

  /** Busy or off: asked at the helper's hello and again just before accepting. */
  private gate(): OfferRefusal | null {
    if (!this.d.policy.value('allowOffers')) return { reason: 'offers-disabled', message: 'This computer does not accept offers of help.' };
    if (this.d.sessions.busy || this.starting) return { reason: 'busy', message: 'Someone is already being helped on this computer. Try again later.' };
    return null;
  }

  /** The allow-list check, after the helper proved its key and before anything reaches the user. */
  private authorize(helper: ProvenHelper): Authorization {
    const { policy } = this.d;
    const listed = findListedHelper({ offerHelpers: policy.value('offerHelpers'), offerAdmins: policy.value('offerAdmins') }, helper.fingerprint);
    if (!listed) return { ok: false, refusal: { reason: 'not-allowed', message: notAllowedMessage(helper.fingerprint), fingerprint: helper.fingerprint } };
    return { ok: true, displayName: listed.name };
  }

  private onRefused({ peerAddress, refusal, helper }: OfferListenerEvents['refused']): void {
    // Only refusals of a helper who at least named a key are worth the audit log; floods of
    // anonymous "busy" answers go to the (rate-limited) diagnostics only.
    if (!helper) return;
    const reason = helper.authenticated ? refusal.reason : `${refusal.reason} (identity not proven)`;
    recordOfferRefusal(this.d.audit, this.d.logger, { type: 'offer.refused', helperName: sanitizePeerText(helper.helperName, 64), fingerprint: helper.fingerprint, reason }, 'requester', helper.helperName, peerAddress);
  }

  private async onLinked({ link, helper, displayName: name, peerAddress }: OfferListenerEvents['linked']): Promise<void> {
    this.starting = true;
    try {
      const listed = findListedHelper({ offerHelpers: this.d.policy.value('offerHelpers'), offerAdmins: this.d.policy.value('offerAdmins') }, helper.fingerprint);
      let log;
      try {
        log = await this.d.audit.openSession({ kind: 'offer', role: 'requester', required: this.d.policy.value('loggingRequired'), peerName: name, peerAddress });
      } catch (e) {
        this.d.logger.error('offered session not started: its required log could not be written', { error: (e as Error).message });
        link.close('The computer could not write the session log its administrator requires, so no session was started.');
        return;
      }
      const audit = auditSinkFor(log, this.d.logger);
      audit({ type: 'connection.attempt', peerAddress });
      audit({ type: 'note', text: `Offer from helper ID ${helper.fingerprint}, listed as "${name}" (${listed?.admin ? 'administrator of this computer' : 'help desk'}); the helper's own name: "${sanitizePeerText(helper.helperName, 64)}".` });
      const input = await this.d.input();
      const from = listed?.admin ? 'an administrator of this computer' : 'from the help desk';
      try {
        const session = this.d.sessions.attachRequester({
          link,
          kind: 'offer',
          how: `${name} (${from}, helper ID ${helper.fingerprint}) connected from ${peerAddress}.`,
          gate: input.gate,
          echo: input.echo,
          controlPermission: () => controlPermissionFor(this.d.policy, 'offer', true, input.unavailable),
          audit,
          onEnded: () => {
            void input.close();
            log.close();
          },
        });
        input.attach(session);
      } catch (e) {
        this.d.logger.error('could not start the offered session', { error: (e as Error).message });
        link.close('busy');
        void input.close();
        log.close();
      }
    } finally {
      this.starting = false;
    }
  }
}
