import { createRpcServer, type Handlers, type RpcServer } from '../../src-shared/rpc/rpc-server';
import { EventHub } from '../../src-shared/rpc/event-hub';
import type { Role } from '../../src-shared/contract/index';
import type { ProfilePaths } from '../profile/profile-paths';
import type { AppLogger } from '../platform/app-logger';
import { computerName, displayNotice, localUserName } from '../platform/system-info';
import { PageConsentPrompt } from '../consent/page-consent-prompt';
import type { ConsentPrompt } from '../consent/consent-port';
import type { InputInjector } from '../input/input-injector-port';
import type { KdfParams } from '../invitation/ticket-limits';
import type { FirewallProbe } from '../platform/firewall/firewall-probe';
import { browserPickedScreens, type ScreenSource } from '../platform/screen-source';
import { APP_NAME, APP_VERSION } from './version';
import { createServices, type Services } from './services';
import { appHandlers } from './handlers/app-handlers';
import { invitationHandlers } from './handlers/invitation-handlers';
import { sessionHandlers } from './handlers/session-handlers';
import { filesHandlers, type PickFiles } from './handlers/files-handlers';
import { settingsHandlers } from './handlers/settings-handlers';
import { logsHandlers, type OpenFolder } from './handlers/logs-handlers';
import { offerHandlers } from './handlers/offer-handlers';
import { InstanceHandoff } from './instance-handoff';
import type { LaunchAction } from './launch-action';
import type { MailSender } from '../platform/mail/mail-sender-port';
import { createMailSender } from '../platform/mail/command-mail-sender';
import { createSpawnLauncher } from '../platform/mail/spawn-launcher';

export interface AppCoreOptions {
  host: 'electron' | 'browser-host';
  role: Role;
  profile: ProfilePaths;
  logger: AppLogger;
  /** An invitation file the app was started with, if any. */
  startupFile?: string | null;
  /** What the launch asked for (`--open-file`, `--offer`, `--invite`, a link); wins over startupFile. */
  launch?: LaunchAction;
  /** Electron makes this before the core exists, so early macOS open-file/open-url events are kept. */
  handoff?: InstanceHandoff;
  /** An X display given explicitly (`--display`): used even in a Wayland session (tests, Xvfb). */
  display?: string;
  /** Opens the user's mail program; default: the platform's commands (xdg-email, Mail.app, mailto:). */
  mail?: MailSender;
  env?: NodeJS.ProcessEnv;
  answerFile?: string;
  /** Electron passes a native prompt; otherwise prompts are shown in the app's page. */
  consentPrompt?: (hub: EventHub) => ConsentPrompt;
  pickFiles?: PickFiles;
  /** Electron lists screens and answers capture with the chosen one; default: the browser's picker. */
  screens?: ScreenSource;
  /** Files the page may send by path must be inside this folder (the browser host's uploads). */
  stagingDir?: string;
  openFolder?: OpenFolder;
  /** For tests: see ServicesOptions. */
  testing?: { listenHost?: string; kdf?: KdfParams; injector?: InputInjector; firewall?: FirewallProbe | null };
}

/** Main's services wired together, with the contract served by one RPC server. */
export interface AppCore {
  readonly server: RpcServer;
  readonly hub: EventHub;
  readonly services: Services;
  /** Launch requests: the startup wizard, and second launches handed to this instance. */
  readonly handoff: InstanceHandoff;
  dispose(reason?: string): Promise<void>;
}

/**
 * The composition of main's services, shared by the Electron main process and the browser host.
 * The two composition roots differ only in the adapters (ports) they pass in.
 */
export async function createAppCore(opts: AppCoreOptions): Promise<AppCore> {
  const { logger } = opts;
  const env = opts.env ?? process.env;
  const hub = new EventHub((name, error) => logger.error('invalid event emitted', { name, error }));
  const pagePrompt = opts.consentPrompt ? null : new PageConsentPrompt(hub);
  const prompt = opts.consentPrompt?.(hub) ?? pagePrompt!;
  const services = await createServices({ role: opts.role, profile: opts.profile, logger, hub, prompt, env, ...(opts.display ? { display: opts.display } : {}), ...(opts.answerFile ? { answerFile: opts.answerFile } : {}), ...opts.testing });
  const handoff = opts.handoff ?? new InstanceHandoff(opts.launch ?? (opts.startupFile ? { kind: 'openFile', file: opts.startupFile } : { kind: 'none' }), logger);
  handoff.attach((open) => hub.emit('app.open', open), () => services.sessions.busy);
  const mail = opts.mail ?? createMailSender({ platform: process.platform, launcher: createSpawnLauncher(), useMailto: () => services.policy.value('useMailto'), logger });
  const info = () => ({
    name: APP_NAME,
    version: APP_VERSION,
    host: opts.host,
    role: opts.role,
    platform: process.platform,
    userName: localUserName(),
    computerName: computerName(),
    profileDir: opts.profile.root,
    displayNotice: displayNotice(env, process.platform, opts.display),
    startupFile: handoff.startup?.file ?? null,
    startup: handoff.startup,
  });

  const handlers: Handlers = {
    ...appHandlers(info),
    ...invitationHandlers(services, mail, handoff),
    ...sessionHandlers(services, pagePrompt, opts.screens ?? browserPickedScreens),
    ...filesHandlers(services, opts.pickFiles ?? null, opts.stagingDir ?? null),
    ...settingsHandlers(services.policy, hub),
    ...logsHandlers(opts.profile.logsDir, opts.openFolder ?? null),
    ...offerHandlers(services),
  };

  const server = createRpcServer({
    handlers,
    onInternalError: (method, error) => logger.error('unexpected error in handler', { method, error }),
  });

  return {
    server,
    hub,
    services,
    handoff,
    async dispose(reason = 'Remote Assist is closing.') {
      hub.emit('app.shuttingDown', { reason });
      await services.dispose();
    },
  };
}
