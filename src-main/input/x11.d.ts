// The subset of the pure-JS `x11` package (no @types exist) that the XTest injector, the Esc watcher and their tests use.
declare module 'x11' {
  import type { EventEmitter } from 'node:events';

  export type XCallback<T> = (err: XError | null | undefined, result: T) => unknown;

  /** A protocol error (`error` is the X error code) or a transport error (no `error`). */
  export interface XError extends Error {
    error?: number;
    seq?: number;
    badParam?: number;
    majorOpcode?: number;
    minorOpcode?: number;
  }

  export interface XScreen {
    root: number;
    pixel_width: number;
    pixel_height: number;
    root_depth: number;
    white_pixel: number;
    black_pixel: number;
  }

  export interface XDisplay {
    screen: XScreen[];
    min_keycode: number;
    max_keycode: number;
    client: XClient;
  }

  export interface XEvent {
    type: number;
    name?: string;
    /** KeyPress/KeyRelease: the keycode; ButtonPress/ButtonRelease: the button. */
    keycode?: number;
    /** Modifier and button state at the time of a key or button event. */
    buttons?: number;
    wid?: number;
    x?: number;
    y?: number;
    /** MappingNotify: 0 modifiers, 1 keyboard, 2 pointer. */
    request?: number;
    firstKeyCode?: number;
    count?: number;
  }

  export interface QueryPointerReply {
    root: number;
    child: number;
    rootX: number;
    rootY: number;
    childX: number;
    childY: number;
    /** Modifier (Shift=1, Lock=2, Control=4, Mod1..Mod5) and button (Button1=0x100 …) state. */
    keyMask: number;
  }

  export interface GeometryReply {
    xPos: number;
    yPos: number;
    width: number;
    height: number;
  }

  export interface XTestExtension {
    readonly KeyPress: 2;
    readonly KeyRelease: 3;
    readonly ButtonPress: 4;
    readonly ButtonRelease: 5;
    readonly MotionNotify: 6;
    /** detail: keycode, button, or 0 (absolute) / 1 (relative) for motion; wid: the root for motion, else 0. */
    FakeInput(type: number, detail: number, time: number, wid: number, x: number, y: number): void;
    GetVersion(major: number, minor: number, cb: XCallback<[number, number]>): void;
  }

  /** An XI2 device, as XIQueryDevice lists it. */
  export interface XIDevice {
    deviceId: number;
    name: string;
    /** 1 master pointer, 2 master keyboard, 3 slave pointer, 4 slave keyboard, 5 floating slave. */
    use: number;
    attachment: number;
  }

  /** An XI2 raw event (only those are selected here). */
  export interface XIRawEvent extends XEvent {
    name: 'XIRawKeyPress' | 'XIRawKeyRelease' | string;
    /** The master device. */
    deviceId: number;
    /** The slave device the event came from (e.g. the XTEST keyboard for injected keys). */
    sourceId: number;
    /** The keycode. */
    detail: number;
  }

  export interface XInputExtension {
    /** The XI2 version the server agreed to, or null when it has no XI2. */
    xi2: { majorVersion: number; minorVersion: number } | null;
    /** deviceId: a device, or 0 (all devices) / 1 (all master devices). */
    XIQueryDevice(deviceId: number, cb: XCallback<XIDevice[]>): void;
    XISelectEvents(window: number, masks: { deviceId: number; mask: number | string[] } | { deviceId: number; mask: number | string[] }[]): void;
  }

  export interface XClient extends EventEmitter {
    display: XDisplay;
    require(name: 'xtest', cb: (err: Error | null | undefined, ext: XTestExtension) => void): void;
    require(name: 'xinput', cb: (err: Error | null | undefined, ext: XInputExtension) => void): void;
    AllocID(): number;
    GetKeyboardMapping(firstKeycode: number, count: number, cb: XCallback<number[][]>): void;
    ChangeKeyboardMapping(firstKeycode: number, keysymsPerKeycode: number, keysyms: number[], cb?: XCallback<void>): void;
    GetModifierMapping(cb: XCallback<number[][]>): void;
    QueryPointer(wid: number, cb: XCallback<QueryPointerReply>): void;
    QueryKeymap(cb: XCallback<Uint8Array>): void;
    GetGeometry(drawable: number, cb: XCallback<GeometryReply>): void;
    GetInputFocus(cb: XCallback<{ focus: number; revertTo: number }>): void;
    CreateWindow(
      wid: number,
      parent: number,
      x: number,
      y: number,
      width: number,
      height: number,
      borderWidth: number,
      depth: number,
      klass: number,
      visual: number,
      values: Record<string, number>,
    ): void;
    MapWindow(wid: number): void;
    DestroyWindow(wid: number): void;
    SetInputFocus(wid: number, revertTo: number): void;
    sync(): Promise<void>;
    close(cb?: (err?: Error) => void): void;
    terminate(): void;
  }

  export interface CreateClientOptions {
    display?: string;
    disableBigRequests?: boolean;
  }

  export function createClient(options: CreateClientOptions, cb: (err: XError | undefined, display: XDisplay) => void): XClient;
  export const eventMask: Record<string, number>;

  const x11: {
    createClient: typeof createClient;
    eventMask: typeof eventMask;
  };
  export default x11;
}
