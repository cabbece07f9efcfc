import { AppError } from '../../src-shared/contract/errors';
import type { InputInjector, MouseButton, ScreenSize } from './input-injector-port';

/** One call the recording injector received, in order. */
export type RecordedCall =
  | { op: 'moveTo'; x: number; y: number }
  | { op: 'button'; button: MouseButton; down: boolean }
  | { op: 'wheel'; dx: number; dy: number }
  | { op: 'key'; key: string; down: boolean }
  | { op: 'typeText'; text: string }
  | { op: 'close' };

/**
 * A fake InputInjector that records every call, for tests of the input gate and the session.
 * `failWith` makes chosen operations throw (sync or async) to exercise the gate's error handling.
 */
export class RecordingInjector implements InputInjector {
  readonly calls: RecordedCall[] = [];
  available = true;
  /** Operations that throw instead of recording; `async` rejects, `sync` throws before returning a promise. */
  failWith = new Map<RecordedCall['op'] | 'screenSize', 'sync' | 'async'>();

  constructor(private readonly size: ScreenSize = { width: 1920, height: 1080 }) {}

  screenSize(): Promise<ScreenSize> {
    return this.run('screenSize', () => ({ ...this.size }));
  }
  moveTo(x: number, y: number): Promise<void> {
    return this.run('moveTo', () => void this.calls.push({ op: 'moveTo', x, y }));
  }
  button(button: MouseButton, down: boolean): Promise<void> {
    return this.run('button', () => void this.calls.push({ op: 'button', button, down }));
  }
  wheel(dx: number, dy: number): Promise<void> {
    return this.run('wheel', () => void this.calls.push({ op: 'wheel', dx, dy }));
  }
  key(key: string, down: boolean): Promise<void> {
    return this.run('key', () => void this.calls.push({ op: 'key', key, down }));
  }
  typeText(text: string): Promise<void> {
    return this.run('typeText', () => void this.calls.push({ op: 'typeText', text }));
  }
  close(): Promise<void> {
    this.available = false;
    return this.run('close', () => void this.calls.push({ op: 'close' }));
  }

  /** Forgets the calls recorded so far. */
  clear(): void {
    this.calls.length = 0;
  }

  private run<T>(op: RecordedCall['op'] | 'screenSize', body: () => T): Promise<T> {
    const failure = this.failWith.get(op);
    const error = new AppError('unavailable', `recording injector: ${op} failed (test)`);
    if (failure === 'sync') throw error;
    if (failure === 'async') return Promise.reject(error);
    return Promise.resolve(body());
  }
}
