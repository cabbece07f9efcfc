// A streaming parser for the server side of RFB 3.8 (RFC 6143) with the raw encoding: enough to
// measure a VNC server the way a viewer sees it. Raw pixel data is skipped without copying except
// where it overlaps a small region of interest (the timestamp code), because at 40 full frames/s
// the server sends ~165 MB/s and a copying client would measure itself instead of the server.

/** RFC 6143 §7.4 PIXEL_FORMAT. */
export interface PixelFormat {
  bitsPerPixel: number;
  depth: number;
  bigEndian: boolean;
  trueColour: boolean;
  redMax: number;
  greenMax: number;
  blueMax: number;
  redShift: number;
  greenShift: number;
  blueShift: number;
}

/** RFC 6143 §7.3.2 ServerInit. */
export interface ServerInit {
  width: number;
  height: number;
  format: PixelFormat;
  name: string;
}

/** One rectangle header of a FramebufferUpdate. */
export interface RfbRect {
  x: number;
  y: number;
  w: number;
  h: number;
  encoding: number;
}

/** A rectangle of the framebuffer the parser keeps a copy of (32 bpp, 4 bytes per pixel). */
export interface Region {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** What the parser reports; the client answers the handshake steps. */
export interface RfbHandlers {
  version?(version: string): void;
  securityTypes?(types: number[]): void;
  securityResult?(ok: boolean, reason: string | null): void;
  serverInit?(init: ServerInit): void;
  updateStart?(rects: number): void;
  rect?(rect: RfbRect): void;
  /** After the last rectangle; `regionTouched` when a rectangle overlapped the region. */
  updateEnd?(info: { rects: number; bytes: number; regionTouched: boolean }): void;
  bell?(): void;
  cutText?(text: string): void;
  error?(err: Error): void;
}

/** The encoding this parser understands (RFC 6143 §7.7.1). */
export const ENCODING_RAW = 0;

type Need = { kind: 'read'; n: number } | { kind: 'skip'; n: number };
type Step = Generator<Need, void, Uint8Array | undefined>;

/** Incremental RFB 3.8 server-stream parser: feed it bytes with `push`. */
export class RfbParser {
  /** The region's pixels (4 bytes each, in the negotiated format), kept up to date. */
  readonly regionPixels: Uint8Array;
  private readonly chunks: Uint8Array[] = [];
  private head = 0;
  private available = 0;
  private need: Need | undefined;
  private readonly steps: Step;
  private bytesPerPixel = 0;
  private failed = false;

  constructor(
    private readonly handlers: RfbHandlers,
    readonly region: Region = { x: 0, y: 0, w: 32, h: 32 },
  ) {
    this.regionPixels = new Uint8Array(region.w * region.h * 4);
    this.steps = this.protocol();
    this.need = this.steps.next().value ?? undefined;
  }

  /**
   * The client chose this pixel format (SetPixelFormat); updates are parsed with it from now on.
   * Only 32 bits per pixel is supported: the region copy is 4 bytes per pixel.
   */
  setBitsPerPixel(bits: number): void {
    if (bits !== 32) throw new Error(`only 32 bits per pixel is supported (asked for ${bits})`);
    this.bytesPerPixel = 4;
  }

  /** Feeds bytes from the server. Errors go to `handlers.error`, after which input is ignored. */
  push(chunk: Uint8Array): void {
    if (this.failed || chunk.length === 0) return;
    this.chunks.push(chunk);
    this.available += chunk.length;
    try {
      this.pump();
    } catch (e) {
      this.failed = true;
      this.handlers.error?.(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private pump(): void {
    while (this.need) {
      if (this.need.kind === 'skip') {
        const n = Math.min(this.need.n, this.available);
        this.drop(n);
        this.need.n -= n;
        if (this.need.n > 0) return;
        this.need = this.steps.next(undefined).value ?? undefined;
      } else {
        if (this.available < this.need.n) return;
        this.need = this.steps.next(this.take(this.need.n)).value ?? undefined;
      }
    }
  }

  private drop(n: number): void {
    this.available -= n;
    while (n > 0) {
      const c = this.chunks[0]!;
      const left = c.length - this.head;
      if (n < left) {
        this.head += n;
        return;
      }
      n -= left;
      this.chunks.shift();
      this.head = 0;
    }
  }

  private take(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.drop(n);
      return out;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0]!;
      const part = Math.min(n - filled, c.length - this.head);
      out.set(c.subarray(this.head, this.head + part), filled);
      filled += part;
      this.drop(part);
    }
    return out;
  }

  private *read(n: number): Generator<Need, DataView, Uint8Array | undefined> {
    const b = (yield { kind: 'read', n })!;
    return new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  private *skip(n: number): Generator<Need, void, Uint8Array | undefined> {
    if (n > 0) yield { kind: 'skip', n };
  }

  private *text(n: number): Generator<Need, string, Uint8Array | undefined> {
    const v = yield* this.read(n);
    return new TextDecoder('latin1').decode(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }

  private *protocol(): Step {
    const version = yield* this.text(12);
    if (!/^RFB \d{3}\.\d{3}\n$/.test(version)) throw new Error(`not an RFB server (greeting ${JSON.stringify(version)})`);
    this.handlers.version?.(version.trim());
    const count = (yield* this.read(1)).getUint8(0);
    if (count === 0) throw new Error(`server refused the connection: ${yield* this.reason()}`);
    const types = yield* this.read(count);
    this.handlers.securityTypes?.(Array.from({ length: count }, (_, i) => types.getUint8(i)));
    const result = (yield* this.read(4)).getUint32(0);
    const reason = result === 0 ? null : yield* this.reason();
    this.handlers.securityResult?.(result === 0, reason);
    if (result !== 0) throw new Error(`security handshake failed: ${reason}`);
    const init = yield* this.read(24);
    const name = yield* this.text(init.getUint32(20));
    this.handlers.serverInit?.({ width: init.getUint16(0), height: init.getUint16(2), format: readPixelFormat(init, 4), name });
    for (;;) yield* this.message();
  }

  private *reason(): Generator<Need, string, Uint8Array | undefined> {
    const len = (yield* this.read(4)).getUint32(0);
    return yield* this.text(Math.min(len, 4096));
  }

  private *message(): Generator<Need, void, Uint8Array | undefined> {
    const type = (yield* this.read(1)).getUint8(0);
    switch (type) {
      case 0:
        return yield* this.update();
      case 1: {
        const h = yield* this.read(5);
        return yield* this.skip(h.getUint16(3) * 6);
      }
      case 2:
        this.handlers.bell?.();
        return;
      case 3: {
        const h = yield* this.read(7);
        const len = h.getUint32(3);
        this.handlers.cutText?.(yield* this.text(len));
        return;
      }
      default:
        throw new Error(`unknown server message type ${type}`);
    }
  }

  private *update(): Generator<Need, void, Uint8Array | undefined> {
    const rects = (yield* this.read(3)).getUint16(1);
    if (!this.bytesPerPixel) throw new Error('an update arrived before the pixel format was set');
    this.handlers.updateStart?.(rects);
    let bytes = 4;
    let regionTouched = false;
    for (let i = 0; i < rects; i++) {
      const h = yield* this.read(12);
      const rect: RfbRect = { x: h.getUint16(0), y: h.getUint16(2), w: h.getUint16(4), h: h.getUint16(6), encoding: h.getInt32(8) };
      this.handlers.rect?.(rect);
      if (rect.encoding !== ENCODING_RAW) throw new Error(`unexpected encoding ${rect.encoding} (only raw was offered)`);
      bytes += 12 + rect.w * rect.h * this.bytesPerPixel;
      regionTouched = (yield* this.rawRect(rect)) || regionTouched;
    }
    this.handlers.updateEnd?.({ rects, bytes, regionTouched });
  }

  /** Skips a raw rectangle, copying only the rows and columns that overlap the region. */
  private *rawRect(r: RfbRect): Generator<Need, boolean, Uint8Array | undefined> {
    const bpp = this.bytesPerPixel;
    const rowBytes = r.w * bpp;
    const g = this.region;
    const x0 = Math.max(r.x, g.x);
    const x1 = Math.min(r.x + r.w, g.x + g.w);
    const y0 = Math.max(r.y, g.y);
    const y1 = Math.min(r.y + r.h, g.y + g.h);
    if (x0 >= x1 || y0 >= y1) {
      yield* this.skip(rowBytes * r.h);
      return false;
    }
    yield* this.skip((y0 - r.y) * rowBytes);
    const before = (x0 - r.x) * bpp;
    const span = (x1 - x0) * bpp;
    for (let y = y0; y < y1; y++) {
      yield* this.skip(before);
      const row = yield* this.read(span);
      this.regionPixels.set(new Uint8Array(row.buffer, row.byteOffset, span), ((y - g.y) * g.w + (x0 - g.x)) * 4);
      yield* this.skip(rowBytes - before - span);
    }
    yield* this.skip((r.y + r.h - y1) * rowBytes);
    return true;
  }
}

function readPixelFormat(v: DataView, o: number): PixelFormat {
  return {
    bitsPerPixel: v.getUint8(o),
    depth: v.getUint8(o + 1),
    bigEndian: v.getUint8(o + 2) !== 0,
    trueColour: v.getUint8(o + 3) !== 0,
    redMax: v.getUint16(o + 4),
    greenMax: v.getUint16(o + 6),
    blueMax: v.getUint16(o + 8),
    redShift: v.getUint8(o + 10),
    greenShift: v.getUint8(o + 11),
    blueShift: v.getUint8(o + 12),
  };
}
