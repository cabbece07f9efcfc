// Reads the timestamp code straight from the X server's framebuffer (GetImage of the 32×32 block,
// in a tight loop). This is the floor every screen-sharing tool stands on: the time from the
// pattern page painting a frame to its pixels existing in Xvfb, where any capturer can see them.
import x11, { type XClient } from 'x11';
import { tsCode } from './ts-code';

declare module 'x11' {
  interface XClient {
    GetImage(format: number, drawable: number, x: number, y: number, width: number, height: number, planeMask: number, cb: XCallback<{ depth: number; visualId: number; data: Buffer }>): void;
  }
}

/** What one probe window saw. */
export interface XvfbSample {
  /** Paint → pixels in Xvfb, ms, one per new code value. */
  latencies: number[];
  /** New code values per second: the frame rate the screen really shows. */
  fps: number;
  polls: number;
  undecodable: number;
  seconds: number;
}

/** A connection to one X display that can read the code block. */
export interface XvfbProbe {
  /** The current code value, or null if the block does not hold a readable code. */
  readOnce(): Promise<number | null>;
  /** Polls for `ms` and reports every new code value. */
  sample(ms: number): Promise<XvfbSample>;
  close(): void;
}

/** Opens an X connection to `display` (e.g. ":101"). */
export function openXvfbProbe(display: string): Promise<XvfbProbe> {
  return new Promise((resolve, reject) => {
    const client: XClient = x11.createClient({ display }, (err, dpy) => {
      if (err) return reject(err);
      const root = dpy.screen[0]!.root;
      const grab = () =>
        new Promise<Buffer>((res, rej) => client.GetImage(2, root, 0, 0, tsCode.size, tsCode.size, 0xffffffff, (e, img) => (e ? rej(e) : res(img.data))));
      resolve({
        async readOnce() {
          return tsCode.read(await grab(), tsCode.size, tsCode.size);
        },
        async sample(ms) {
          const latencies: number[] = [];
          let polls = 0;
          let undecodable = 0;
          let last = -1;
          const start = performance.now();
          while (performance.now() - start < ms) {
            const data = await grab();
            const at = performance.timeOrigin + performance.now();
            polls++;
            const code = tsCode.read(data, tsCode.size, tsCode.size);
            if (code === null) undecodable++;
            else if (code !== last) {
              // The first value may have been painted long before we started looking.
              if (last !== -1) latencies.push(tsCode.age(code, at));
              last = code;
            }
          }
          const seconds = (performance.now() - start) / 1000;
          return { latencies, fps: latencies.length / seconds, polls, undecodable, seconds };
        },
        close: () => client.terminate(),
      });
    });
    client.on('error', reject);
  });
}
