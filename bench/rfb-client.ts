// A measuring VNC viewer: connects to an RFB 3.8 server without a password, asks for raw 32-bit
// pixels only, and keeps exactly one incremental update request outstanding (a new one is sent as
// soon as an update starts arriving, so the server never waits for the client). After each update
// that touched the timestamp code it decodes the code: a new value is a new frame, its age at the
// moment the update was complete is the latency.
import net from 'node:net';
import { ENCODING_RAW, RfbParser, type ServerInit } from './rfb-parser';
import { rfbClientMessages as msg } from './rfb-messages';
import { tsCode } from './ts-code';

/** One new frame as the viewer saw it. */
export interface ViewerFrame {
  /** ms since the epoch when the update that carried it was complete. */
  at: number;
  code: number;
  /** Glass-to-glass: paint time in the code → update received, in ms. */
  latencyMs: number;
}

/** A connected measuring viewer. */
export interface RfbViewer {
  readonly init: ServerInit;
  /** Starts (or restarts) recording frames and bytes. */
  record(): void;
  /** Stops recording and returns what was seen since `record()`. */
  stop(): { frames: ViewerFrame[]; updates: number; bytes: number; seconds: number; undecodable: number };
  close(): void;
}

/** Connects to `host:port` and starts the update loop. Rejects if the handshake fails within `timeoutMs`. */
export function connectViewer(port: number, host = '127.0.0.1', timeoutMs = 10_000): Promise<RfbViewer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    socket.setNoDelay(true);
    let init: ServerInit | null = null;
    let recording = false;
    let started = 0;
    let frames: ViewerFrame[] = [];
    let updates = 0;
    let bytes = 0;
    let undecodable = 0;
    let lastCode = -1;
    const timer = setTimeout(() => fail(new Error(`VNC server on port ${port} did not finish the handshake in ${timeoutMs} ms`)), timeoutMs);
    const fail = (e: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(e);
    };
    const requestFull = (incremental: boolean) => socket.write(msg.updateRequest(incremental, 0, 0, init!.width, init!.height));
    const parser = new RfbParser({
      version: () => socket.write(msg.version()),
      securityTypes: (types) => {
        if (!types.includes(1)) return fail(new Error(`VNC server wants authentication (types ${types.join(', ')}); start it with -nopw`));
        socket.write(msg.securityType(1));
      },
      securityResult: (ok, reason) => {
        if (ok) socket.write(msg.clientInit(true));
        else fail(new Error(`VNC security failed: ${reason}`));
      },
      serverInit: (i) => {
        init = i;
        parser.setBitsPerPixel(32);
        socket.write(msg.setPixelFormat32());
        socket.write(msg.setEncodings([ENCODING_RAW]));
        requestFull(false);
        clearTimeout(timer);
        resolve(viewer);
      },
      // Keep one request outstanding: the next one goes out as this update begins to arrive.
      updateStart: () => requestFull(true),
      updateEnd: ({ bytes: n, regionTouched }) => {
        const at = performance.timeOrigin + performance.now();
        if (!recording) return;
        updates++;
        bytes += n;
        if (!regionTouched) return;
        const code = tsCode.read(parser.regionPixels, 32, 32);
        if (code === null) {
          undecodable++;
          return;
        }
        if (code === lastCode) return;
        lastCode = code;
        frames.push({ at, code, latencyMs: tsCode.age(code, at) });
      },
      error: (e) => fail(e),
    });
    socket.on('data', (d) => parser.push(d));
    socket.on('error', (e) => fail(e));
    const viewer: RfbViewer = {
      get init() {
        return init!;
      },
      record() {
        recording = true;
        started = performance.now();
        frames = [];
        updates = 0;
        bytes = 0;
        undecodable = 0;
      },
      stop() {
        recording = false;
        return { frames, updates, bytes, undecodable, seconds: (performance.now() - started) / 1000 };
      },
      close: () => socket.destroy(),
    };
  });
}
