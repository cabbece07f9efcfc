import { AppError } from '../../src-shared/contract/errors';
import { isInjectKeyName, WHEEL_MAX_NOTCHES } from '../../src-shared/protocol/input';
import type { InputInjector, MouseButton, ScreenSize } from './input-injector-port';

/*
 * Windows (SendInput) and macOS (CGEvent) injection through a prebuilt N-API automation addon with
 * the robotjs API (`@jitsi/robotjs`, the fork Jitsi's Electron app ships; N-API modules are not
 * tied to Electron's ABI). TYPECHECK-ONLY HERE: the addon is not installed on our Linux machines
 * and nothing in this file has run on Windows or macOS yet; the key names and wheel units below
 * follow robotjs's source and must be checked on those systems. macOS also needs the app to be
 * granted Accessibility permission, or events are silently discarded.
 */

/** The part of the robotjs API we use. */
export interface RobotLike {
  moveMouse(x: number, y: number): void;
  mouseToggle(down: 'down' | 'up', button: 'left' | 'right' | 'middle'): void;
  keyToggle(key: string, down: 'down' | 'up'): void;
  /** Windows: whole notches (positive y = up); macOS: pixels. */
  scrollMouse(x: number, y: number): void;
  typeString(text: string): void;
  getScreenSize(): { width: number; height: number };
  setMouseDelay(ms: number): void;
  setKeyboardDelay(ms: number): void;
}

/** The addon's package name, in a variable so bundlers and tsc do not try to resolve it here. */
export const DEFAULT_NATIVE_MODULE = '@jitsi/robotjs';

/** Named keys → robotjs names. Keys robotjs lacks are absent and rejected (e.g. CapsLock, Pause). */
const ROBOT_KEYS: Readonly<Record<string, string>> = {
  Enter: 'enter', Tab: 'tab', Backspace: 'backspace', Delete: 'delete', Escape: 'escape', Insert: 'insert',
  ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right',
  Home: 'home', End: 'end', PageUp: 'pageup', PageDown: 'pagedown',
  F1: 'f1', F2: 'f2', F3: 'f3', F4: 'f4', F5: 'f5', F6: 'f6', F7: 'f7', F8: 'f8', F9: 'f9', F10: 'f10', F11: 'f11', F12: 'f12',
  ShiftLeft: 'shift', ShiftRight: 'right_shift', ControlLeft: 'control', ControlRight: 'control',
  AltLeft: 'alt', AltRight: 'alt', AltGraph: 'alt', MetaLeft: 'command', MetaRight: 'command',
  PrintScreen: 'printscreen', ' ': 'space',
};

/** Scroll units per notch: robotjs passes Windows notches through, macOS pixels (one notch ≈ 10 px there). */
const NOTCH: Partial<Record<NodeJS.Platform, number>> = { win32: 1, darwin: 10 };

/** InputInjector over a robotjs-style addon (Windows, macOS). */
export class NativeInjector implements InputInjector {
  private open = true;
  private readonly held = new Set<string>();
  private readonly buttons = new Set<MouseButton>();

  constructor(
    private readonly robot: RobotLike,
    private readonly platform: NodeJS.Platform,
  ) {
    // robotjs sleeps 10 ms after every event by default; we pace nothing ourselves.
    robot.setMouseDelay(0);
    robot.setKeyboardDelay(0);
  }

  /** Loads the addon by name; AppError('unavailable') if it is missing or fails to load. */
  static async load(platform: NodeJS.Platform, moduleName: string = DEFAULT_NATIVE_MODULE): Promise<NativeInjector> {
    try {
      const mod = (await import(/* @vite-ignore */ moduleName)) as { default?: RobotLike } & Partial<RobotLike>;
      const robot = (mod.default ?? mod) as RobotLike;
      if (typeof robot.moveMouse !== 'function' || typeof robot.keyToggle !== 'function') throw new Error('not a robotjs-style module');
      return new NativeInjector(robot, platform);
    } catch (error) {
      throw new AppError('unavailable', `Remote control needs the input addon ${moduleName}, which could not be loaded: ${error instanceof Error ? error.message : String(error)}.`);
    }
  }

  get available(): boolean {
    return this.open;
  }

  async screenSize(): Promise<ScreenSize> {
    const { width, height } = this.call(() => this.robot.getScreenSize());
    return { width, height };
  }

  async moveTo(px: number, py: number): Promise<void> {
    this.call(() => this.robot.moveMouse(Math.round(px), Math.round(py)));
  }

  async button(button: MouseButton, down: boolean): Promise<void> {
    this.call(() => this.robot.mouseToggle(down ? 'down' : 'up', button));
    if (down) this.buttons.add(button);
    else this.buttons.delete(button);
  }

  async wheel(dx: number, dy: number): Promise<void> {
    const unit = NOTCH[this.platform] ?? 1;
    const clamp = (n: number) => Math.max(-WHEEL_MAX_NOTCHES, Math.min(WHEEL_MAX_NOTCHES, Math.trunc(n)));
    // robotjs: positive y scrolls up; ours (DOM) scrolls down.
    this.call(() => this.robot.scrollMouse(clamp(dx) * unit, -clamp(dy) * unit));
  }

  async key(name: string, down: boolean): Promise<void> {
    if (!isInjectKeyName(name)) throw new AppError('invalid-input', 'Key not on the allow-list.');
    const robotKey = ROBOT_KEYS[name] ?? (name.length === 1 ? name : undefined);
    if (robotKey === undefined) throw new AppError('unavailable', `The key ${name} cannot be injected on this system.`);
    this.call(() => this.robot.keyToggle(robotKey, down ? 'down' : 'up'));
    if (down) this.held.add(robotKey);
    else this.held.delete(robotKey);
  }

  async typeText(text: string): Promise<void> {
    this.call(() => this.robot.typeString(text));
  }

  async close(): Promise<void> {
    if (!this.open) return;
    for (const key of this.held) this.tryCall(() => this.robot.keyToggle(key, 'up'));
    for (const button of this.buttons) this.tryCall(() => this.robot.mouseToggle('up', button));
    this.held.clear();
    this.buttons.clear();
    this.open = false;
  }

  private call<T>(fn: () => T): T {
    if (!this.open) throw new AppError('unavailable', 'The input injector was closed.');
    return fn();
  }

  private tryCall(fn: () => void): void {
    try {
      fn();
    } catch {
      /* best effort while closing */
    }
  }
}
