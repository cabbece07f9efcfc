import path from 'node:path';
import type { EventHub } from '../../src-shared/rpc/event-hub';
import type { Role } from '../../src-shared/contract/index';
import { AuditLogService } from '../audit/audit-log';
import { selectSystemLog } from '../platform/system-log/select-system-log';
import { ConsentService } from '../consent/consent-service';
import type { ConsentPrompt } from '../consent/consent-port';
import { PolicyService } from '../policy/policy-service';
import { UserSettingsStore } from '../policy/user-settings-store';
import { policyFilePath } from '../policy/policy-file';
import { answerFilePath } from '../policy/answer-file';
import { readRegistryPolicy } from '../policy/registry-policy';
import { createExecFileRunner } from '../platform/firewall/command-runner';
import { selectFirewallProbe } from '../platform/firewall/select-firewall-probe';
import type { FirewallProbe } from '../platform/firewall/firewall-probe';
import type { AppLogger } from '../platform/app-logger';
import { computerName, localUserName } from '../platform/system-info';
import type { ProfilePaths } from '../profile/profile-paths';
import { SessionService } from '../session/session-service';
import { createRequesterInput } from '../session/requester-input';
import type { InputInjector } from '../input/input-injector-port';
import { InvitationService } from '../invitation/invitation-service';
import { HelperConnectService } from '../invitation/helper-connect-service';
import { OfferService } from '../offer/offer-service';
import type { KdfParams } from '../invitation/ticket-limits';
import { CHANNEL_SCHEMAS } from './channel-schemas';
import { createSessionFiles } from './session-files';
import { APP_VERSION } from './version';

export interface ServicesOptions {
  role: Role;
  profile: ProfilePaths;
  logger: AppLogger;
  hub: EventHub;
  prompt: ConsentPrompt;
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  answerFile?: string;
  /**
   * An X display given explicitly (`--display`). Only this overrides the Wayland check: $DISPLAY
   * alone is XWayland in a Wayland session, where injected input never reaches the real desktop.
   */
  display?: string;
  /** Tests: bind listeners on this address only; a cheaper KDF; a recording injector; no firewall probe. */
  listenHost?: string;
  kdf?: KdfParams;
  injector?: InputInjector;
  firewall?: FirewallProbe | null;
}

/** Main's services, wired once per process by `createAppCore`. */
export interface Services {
  policy: PolicyService;
  audit: AuditLogService;
  consent: ConsentService;
  sessions: SessionService;
  invitations: InvitationService;
  helper: HelperConnectService;
  offers: OfferService;
  userName: string;
  dispose(): Promise<void>;
}

export async function createServices(o: ServicesOptions): Promise<Services> {
  const platform = o.platform ?? process.platform;
  const runner = createExecFileRunner();
  const policy = await PolicyService.create({
    policyFile: policyFilePath(o.env, platform),
    answerFile: answerFilePath(o.answerFile, o.env, platform),
    store: new UserSettingsStore({ configDir: o.profile.configDir, logger: o.logger }),
    registry: platform === 'win32' ? () => readRegistryPolicy(runner) : null,
    logger: o.logger,
  });
  const systemLog = selectSystemLog(platform, undefined, { fallbackFile: path.join(o.profile.configDir, 'system-log.jsonl'), logger: o.logger });
  const userName = localUserName();
  const audit = new AuditLogService({ logsDir: o.profile.logsDir, systemLog, localUser: userName, appVersion: APP_VERSION });
  const consent = new ConsentService(o.prompt);
  const sessions: SessionService = new SessionService({
    hub: o.hub,
    logger: o.logger,
    requesterDeps: () => ({
      consent,
      customMessages: () => (policy.value('useCustomMessages') ? { view: policy.value('viewMessage') || null, control: policy.value('shareControlMessage') || null } : { view: null, control: null }),
      consentTimeoutMs: () => policy.value('consentTimeoutSeconds') * 1000,
    }),
    iceServers: () => policy.value('iceServers'),
    iceTransportPolicy: () => policy.value('iceTransportPolicy'),
    createFiles: (a) => createSessionFiles({ ...a, policy, consent, hub: o.hub, logger: o.logger, downloadsDir: o.profile.downloadsDir }),
  });
  const input = () => createRequesterInput({ platform, env: o.env, ...(o.display ? { display: o.display } : {}), logger: o.logger, consent, ...(o.injector ? { injector: o.injector } : {}) });
  const invitations = new InvitationService({
    policy,
    audit,
    sessions,
    hub: o.hub,
    logger: o.logger,
    profile: o.profile,
    firewall: o.firewall === undefined ? selectFirewallProbe(platform, runner) : o.firewall,
    userName,
    computerName: computerName(),
    channelSchemas: CHANNEL_SCHEMAS,
    input,
    ...(o.listenHost ? { listenHost: o.listenHost } : {}),
    ...(o.kdf ? { kdf: o.kdf } : {}),
  });
  const helper = new HelperConnectService({ policy, audit, sessions, logger: o.logger, userName, channelSchemas: CHANNEL_SCHEMAS });
  const offers = new OfferService({ policy, audit, sessions, hub: o.hub, logger: o.logger, profile: o.profile, userName, computerName: computerName(), channelSchemas: CHANNEL_SCHEMAS, input, ...(o.listenHost ? { listenHost: o.listenHost } : {}) });
  await offers.start();
  const offPolicy = policy.onChange(() => {
    invitations.policyChanged();
    sessions.policyChanged();
    void offers.policyChanged();
  });
  return {
    policy,
    audit,
    consent,
    sessions,
    invitations,
    helper,
    offers,
    userName,
    async dispose() {
      offPolicy();
      if (sessions.busy) sessions.end();
      await invitations.dispose();
      await offers.dispose();
      await policy.dispose();
      audit.close();
      // The system log's long-lived `logger` children get their input closed and log what they hold.
      await systemLog.close();
    },
  };
}
