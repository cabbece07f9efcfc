// Records the server side of a real RFB session for bench/rfb-parser.test.ts: a tiny Xvfb display
// with a timestamp code drawn on its root window, x11vnc sharing it, and the bench's own client
// (raw encoding, 32 bpp) asking for one full update. The bytes x11vnc sent are written as base64.
// Run: node --import tsx bench/tools/record-rfb-fixture.ts  (needs Xvfb and x11vnc)
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import x11, { type XDisplay } from 'x11';
import { startXvfb } from '../../e2e/harness/xvfb';
import { rfbClientMessages as msg } from '../rfb-messages';
import { tsCode } from '../ts-code';

declare module 'x11' {
  interface XClient {
    CreateGC(gc: number, drawable: number, values: Record<string, number>): void;
    ChangeGC(gc: number, values: Record<string, number>): void;
    PolyFillRectangle(drawable: number, gc: number, rects: number[]): void;
  }
}

/** The code value drawn on the fixture's screen (bench/rfb-parser.test.ts expects it). */
const FIXTURE_CODE = 1234;

const display = await startXvfb(48, 40);
const client = x11.createClient({ display: display.name }, () => undefined);
const dpy = await new Promise<XDisplay>((r) => client.on('connect', r));
const screen = dpy.screen[0]!;
const gc = client.AllocID();
client.CreateGC(gc, screen.root, { foreground: screen.black_pixel });
const word = tsCode.encode(FIXTURE_CODE);
for (let i = 0; i < 16; i++) {
  client.ChangeGC(gc, { foreground: tsCode.bit(word, i) ? screen.white_pixel : screen.black_pixel });
  client.PolyFillRectangle(screen.root, gc, [(i % 4) * 8, Math.floor(i / 4) * 8, 8, 8]);
}
await client.sync();

const port = 5990 + Math.floor(Math.random() * 9);
const vnc = spawn('x11vnc', ['-display', display.name, '-rfbport', String(port), '-localhost', '-nopw', '-once', '-quiet'], { stdio: ['ignore', 'pipe', 'ignore'] });
await new Promise<void>((r) => vnc.stdout.on('data', (d: Buffer) => /PORT=/.test(String(d)) && r()));
const socket = net.connect(port, '127.0.0.1');
const chunks: Buffer[] = [];
let stage = 0;
socket.on('data', (d) => {
  chunks.push(d);
  const all = Buffer.concat(chunks);
  // Answer each handshake step as the bench's client does, then one full update request.
  if (stage === 0 && all.length >= 12) {
    socket.write(msg.version());
    stage++;
  } else if (stage === 1 && all.length >= 14) {
    socket.write(msg.securityType(1));
    stage++;
  } else if (stage === 2 && all.length >= 18) {
    socket.write(msg.clientInit(true));
    stage++;
  } else if (stage === 3 && all.length >= 18 + 24) {
    socket.write(msg.setPixelFormat32());
    socket.write(msg.setEncodings([0]));
    socket.write(msg.updateRequest(false, 0, 0, 48, 40));
    stage++;
  }
});
await new Promise((r) => setTimeout(r, 1500));
socket.destroy();
vnc.kill();
client.terminate();
await display.stop();
const out = path.join(import.meta.dirname, '..', 'fixtures', 'x11vnc-48x40-raw.b64');
fs.writeFileSync(out, Buffer.concat(chunks).toString('base64') + '\n');
console.log(`wrote ${out}: ${Buffer.concat(chunks).length} bytes`);
