import { AppError } from '../../src-shared/contract/errors';
import { InputGate } from '../input/input-gate';
import { InjectedKeyTracker } from '../input/injected-keys';
import { selectEscapeWatcher, selectInputInjector } from '../input/select-input-injector';
import type { InputInjector } from '../input/input-injector-port';
import type { AppLogger } from '../platform/app-logger';
import type { EchoCheck, SessionInputGate } from './session-ports';

/** The requester's input path for one session: gate, echo tracker, and why control is impossible (if it is). */
export interface RequesterInput {
  gate: SessionInputGate;
  echo: EchoCheck;
  /** A sentence saying why control cannot work on this computer (Wayland, no display), or null. */
  unavailable: string | null;
  /** Whether an Esc pressed anywhere on the desktop is seen (X11), not only in our window. */
  readonly globalEscape: boolean;
  /** Connects the session: it hears each desktop Esc that was not the helper's, and when a consent prompt holds the helper's input back. */
  attach(session: InputListener): void;
  close(): Promise<void>;
}

/** What the requester's session hears from its input path. */
export interface InputListener {
  desktopEscape(): void;
  inputHeld(held: boolean): void;
}

export interface RequesterInputOptions {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  display?: string;
  logger: AppLogger;
  /** Tests pass a recording injector; production selects the platform's. */
  injector?: InputInjector;
  /** Told when the injector fails for good mid-session (the X server went away). */
  onFatal?: (message: string) => void;
  /** The consent prompts: while one is on screen the helper's input is held back. */
  consent?: { onShowing(listener: (showing: boolean) => void): () => void };
}

/**
 * Builds the input path. If no injector can be had (Wayland, no display, no addon), control is
 * reported unavailable with the reason, and the gate drops everything.
 */
export async function createRequesterInput(o: RequesterInputOptions): Promise<RequesterInput> {
  let unavailable: string | null = null;
  let injector = o.injector;
  // Each observer of local keys excuses each injected key once: the page and the desktop-wide
  // watcher may both see the helper's Esc, and neither may take it for the requester's.
  const pageKeys = new InjectedKeyTracker();
  const desktopKeys = new InjectedKeyTracker();
  let listener: InputListener | null = null;
  // Production only (tests that pass an injector have no desktop to watch); runs while the injector connects.
  const watching = o.injector
    ? Promise.resolve(null)
    : selectEscapeWatcher({
        platform: o.platform,
        env: o.env,
        ...(o.display ? { display: o.display } : {}),
        logger: o.logger,
        // Same clock as the gate's (performance.now()).
        isEcho: () => desktopKeys.isEcho('Escape', performance.now()),
        onEscape: ({ synthetic }) => {
          o.logger.info('input: Esc pressed on the desktop', { synthetic });
          listener?.desktopEscape();
        },
      });
  if (!injector) {
    try {
      injector = await selectInputInjector({
        platform: o.platform,
        env: o.env,
        ...(o.display ? { display: o.display } : {}),
        logger: o.logger,
        onError: (e, fatal) => {
          o.logger.error('input injection failed', { error: e.message, fatal });
          if (fatal) o.onFatal?.(`Control stopped working: ${e.message}`);
        },
      });
    } catch (e) {
      unavailable = e instanceof AppError ? e.message : `Control is unavailable on this computer: ${(e as Error).message}`;
      injector = unavailableInjector();
    }
  }
  const gate = new InputGate({
    injector,
    logger: o.logger,
    keyTracker: {
      noteInjected(key, down, at) {
        pageKeys.noteInjected(key, down, at);
        desktopKeys.noteInjected(key, down, at);
      },
    },
  });
  const inj = injector;
  const stopHearingPrompts = o.consent?.onShowing((showing) => {
    gate.setPromptOpen(showing);
    listener?.inputHeld(showing);
  });
  const watcher = await watching;
  return {
    gate,
    // The gate's clock is performance.now(); the tracker must be asked on the same clock.
    echo: { isEcho: (key) => pageKeys.isEcho(key, performance.now()) },
    unavailable,
    globalEscape: watcher !== null,
    attach(session) {
      listener = session;
    },
    async close() {
      listener = null;
      stopHearingPrompts?.();
      await watcher?.close().catch(() => {});
      await gate.releaseAll().catch(() => {});
      await inj.close().catch(() => {});
    },
  };
}

/** An injector that is never available: the gate then drops every event as 'unavailable'. */
function unavailableInjector(): InputInjector {
  const no = () => Promise.reject(new AppError('unavailable', 'Control is unavailable on this computer.'));
  return { available: false, screenSize: no, moveTo: no, button: no, wheel: no, key: no, typeText: no, close: () => Promise.resolve() };
}
