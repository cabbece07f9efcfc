import type { AppOpen } from '../../src-shared/contract/index';
import type { AppLogger } from '../platform/app-logger';
import { INVITATION_EXTENSION, resolveUserPath, toAppOpen, validOfferHost, type LaunchAction } from './launch-action';
import { isAppLink, parseAppLink, parseFileUrl } from './launch-link';

/** The launch flags, as the command line gave them (strictly parsed by host-args, or scanned from a second launch). */
export interface LaunchFlags {
  openFile?: string | undefined;
  offer?: string | undefined;
  invite?: boolean | undefined;
  save?: string | undefined;
  /** A positional argument: an invitation file, a `remote-assist://` link or a `file:` URL. */
  positional?: string | undefined;
}

/**
 * Turns launch flags into one action. Flags the user typed are trusted as paths (resolved against
 * `cwd`); a positional link or `file:` URL may come from a browser or a desktop, so it is checked.
 */
export function launchActionFrom(f: LaunchFlags, cwd: string, platform: NodeJS.Platform = process.platform): LaunchAction {
  const given = [f.openFile !== undefined, f.offer !== undefined, !!f.invite].filter(Boolean).length;
  if (given > 1) return { kind: 'rejected', reason: 'Give only one of --open-file, --offer and --invite.' };
  if (f.save !== undefined && !f.invite) return { kind: 'rejected', reason: '--save goes with --invite (where to save the new invitation).' };
  // A link always arrives as the positional argument. Refusing anything beside it defeats argument
  // injection through a crafted link (`remote-assist://x" --open-file \\evil\share\a`), the
  // way protocol handlers have been attacked before.
  if (given === 1 && f.positional !== undefined) return { kind: 'rejected', reason: `Unexpected argument ${JSON.stringify(f.positional.slice(0, 80))} after a launch option.` };
  if (f.openFile !== undefined) {
    const file = resolveUserPath(f.openFile, cwd);
    return file ? { kind: 'openFile', file } : { kind: 'rejected', reason: '--open-file needs the path of an invitation file.' };
  }
  if (f.offer !== undefined) {
    const host = validOfferHost(f.offer);
    return host ? { kind: 'offer', host } : { kind: 'rejected', reason: `--offer needs a computer name or IP address (got ${JSON.stringify(f.offer.slice(0, 80))}).` };
  }
  if (f.invite) {
    if (f.save === undefined) return { kind: 'invite', savePath: null };
    const savePath = resolveUserPath(f.save, cwd);
    return savePath ? { kind: 'invite', savePath } : { kind: 'rejected', reason: '--save needs a file path.' };
  }
  if (f.positional === undefined) return { kind: 'none' };
  if (isAppLink(f.positional)) return parseAppLink(f.positional, platform);
  if (/^file:/i.test(f.positional)) return parseFileUrl(f.positional, platform);
  const file = resolveUserPath(f.positional, cwd);
  return file ? { kind: 'openFile', file } : { kind: 'rejected', reason: 'The invitation file path is not valid.' };
}

const VALUE_FLAGS = { '--open-file': 'openFile', '--offer': 'offer', '--save': 'save' } as const;

/**
 * Reads the launch request out of a whole process argv, as a second launch hands it over. That argv
 * holds the executable, maybe the app folder, our own options and switches Chromium adds, so only
 * our launch flags and a positional invitation/link/`file:` argument are picked out; the rest is skipped.
 */
export function scanLaunchArgv(argv: readonly string[], cwd: string, platform: NodeJS.Platform = process.platform): LaunchAction {
  const f: LaunchFlags = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '--invite') {
      f.invite = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (name in VALUE_FLAGS) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) return { kind: 'rejected', reason: `${name} needs a value.` };
      f[VALUE_FLAGS[name as keyof typeof VALUE_FLAGS]] = value;
      continue;
    }
    if (arg.startsWith('-')) continue;
    if (isAppLink(arg) || /^file:/i.test(arg) || arg.toLowerCase().endsWith(INVITATION_EXTENSION)) positionals.push(arg);
  }
  if (positionals.length > 1) return { kind: 'rejected', reason: 'More than one invitation file or link was given; open them one at a time.' };
  return launchActionFrom({ ...f, positional: positionals[0] }, cwd, platform);
}

/** What became of a launch handed to the running app. */
export interface HandoffResult {
  outcome: 'opened' | 'nothing' | 'busy' | 'rejected';
  /** A sentence for the user (busy) or the log (rejected); null when there is nothing to say. */
  message: string | null;
}

/**
 * The running app's side of single-instance hand-off. A second launch (Electron's
 * 'second-instance', macOS 'open-file'/'open-url') gives its request here; this decides and tells
 * the page which wizard to open. While a session runs nothing is switched under the user's feet.
 */
export class InstanceHandoff {
  private current: AppOpen | null;
  private saveTarget: string | null;
  private emit: ((open: AppOpen) => void) | null = null;
  private busy: () => boolean = () => false;

  constructor(
    initial: LaunchAction,
    private readonly logger?: AppLogger,
  ) {
    if (initial.kind === 'rejected') logger?.warn('launch request ignored', { reason: initial.reason });
    this.current = toAppOpen(initial);
    this.saveTarget = initial.kind === 'invite' ? initial.savePath : null;
  }

  /** The wizard a freshly loaded page should open (the launch, or the last hand-off). */
  get startup(): AppOpen | null {
    return this.current;
  }

  /** Wires the running core: how to tell the page, and whether a session is running. */
  attach(emit: (open: AppOpen) => void, busy: () => boolean): void {
    this.emit = emit;
    this.busy = busy;
  }

  /** A second launch's whole argv (Windows/Linux: files and links arrive this way). */
  receiveArgv(argv: readonly string[], cwd: string, platform: NodeJS.Platform = process.platform): HandoffResult {
    return this.receive(scanLaunchArgv(argv, cwd, platform));
  }

  /** Applies a launch request to the running app. */
  receive(action: LaunchAction): HandoffResult {
    if (action.kind === 'rejected') {
      this.logger?.warn('launch request ignored', { reason: action.reason });
      return { outcome: 'rejected', message: action.reason };
    }
    const open = toAppOpen(action);
    if (!open) return { outcome: 'nothing', message: null };
    if (this.busy()) {
      return { outcome: 'busy', message: 'A session is running. End it first, then open the invitation or wizard again.' };
    }
    this.current = open;
    this.saveTarget = action.kind === 'invite' ? action.savePath : null;
    this.emit?.(open);
    return { outcome: 'opened', message: null };
  }

  /** `--invite --save FILE`: where the next invitation is saved, until one is created. */
  get inviteSavePath(): string | null {
    return this.saveTarget;
  }

  /** The invitation was created (and saved there): the target applies once only. */
  consumeInviteSavePath(): void {
    this.saveTarget = null;
    if (this.current?.route === 'invite') this.current = { ...this.current, savePath: null };
  }
}
