import type { MouseButton } from '../../src-shared/protocol/input';

export type { MouseButton };

/** A size in pixels. */
export interface ScreenSize {
  width: number;
  height: number;
}

/**
 * The OS capability that synthesises input on the requester's machine (DESIGN.md section 7).
 * Coordinates are absolute pixels in the virtual screen (all monitors); the input gate has already
 * checked and mapped everything, so adapters only translate. Calls may be issued back to back and
 * must take effect in call order.
 */
export interface InputInjector {
  /** False once the adapter has lost its connection to the OS (X server gone …); calls then reject. */
  readonly available: boolean;
  /** Size of the virtual screen the coordinates refer to. */
  screenSize(): Promise<ScreenSize>;
  /** Moves the pointer to an absolute pixel position (clamped to the screen). */
  moveTo(px: number, py: number): Promise<void>;
  /** Presses or releases a pointer button where the pointer is. */
  button(button: MouseButton, down: boolean): Promise<void>;
  /** Scrolls by whole notches: positive dy scrolls down, positive dx scrolls right (DOM sense). */
  wheel(dx: number, dy: number): Promise<void>;
  /**
   * Presses or releases a key. `key` is a name from `resolveInjectKey` (src-shared/protocol/input):
   * a printable ASCII character, a named DOM key, or a sided modifier such as `ShiftRight`.
   */
  key(key: string, down: boolean): Promise<void>;
  /** Types composed text (already validated: bounded, no control characters). */
  typeText(text: string): Promise<void>;
  /** Releases anything the adapter still holds down and lets go of OS resources. */
  close(): Promise<void>;
}
