// One end of a file-throughput run, as its own process (two mains are two processes in real use,
// so each end gets its own event loop and core). Modes:
//   raw-recv BYTES                listen on 127.0.0.1, count BYTES, report when all arrived
//   raw-send PORT BYTES           send BYTES from memory as fast as the socket takes them
//   link-recv DIR ID PASSWORD     the requester: invitation listener + FileTransferService, saves into DIR
//   link-send PORT ID PASSWORD FILE  the helper: connects with the password and sends FILE
//   blast-recv ID PASSWORD BYTES  the link alone: count BYTES of chunk bodies arriving on `files`
//   blast-send PORT ID PASSWORD BYTES  send BYTES as FILE_CHUNK_BYTES chunk messages (no file, no hashing)
// Each prints one JSON line per event on stdout; times are epoch ms (performance.timeOrigin + now).
import net from 'node:net';
import { FILE_CHUNK_BYTES } from '../src-shared/protocol/files';
import { CHANNEL_SCHEMAS } from '../src-main/app/channel-schemas';
import { FileTransferService, type TransferProgress } from '../src-main/files/index';
import { connectToInvitation } from '../src-main/link/invitation-connector';
import { startInvitationListener } from '../src-main/link/invitation-listener';
import type { PeerLink } from '../src-main/link/link-types';
import { createMemoryLogger } from '../src-main/platform/app-logger';

const now = () => performance.timeOrigin + performance.now();
/** Every event carries the process's CPU time so far (all threads, so the hash worker counts). */
const say = (o: object) => {
  const u = process.cpuUsage();
  process.stdout.write(JSON.stringify({ ...o, cpuMs: (u.user + u.system) / 1000 }) + '\n');
};
const quietLog = () => undefined;

function service(link: PeerLink, side: 'requester' | 'helper', downloadsDir: string): FileTransferService {
  return new FileTransferService({
    link,
    side,
    peerName: link.peerName,
    // The bench accepts at once: it measures the machines, not a person reading a prompt.
    askAccept: async () => ({ accept: true }),
    limits: { enabled: true, maxFileBytes: 4 * 1024 ** 3 },
    logger: createMemoryLogger(),
    downloadsDir,
  });
}

async function rawRecv(bytes: number): Promise<void> {
  const server = net.createServer((socket) => {
    say({ event: 'accepted', at: now() });
    let got = 0;
    socket.on('data', (d) => {
      got += d.length;
      if (got >= bytes) {
        say({ event: 'received', at: now(), bytes: got });
        socket.destroy();
        server.close();
      }
    });
  });
  server.listen(0, '127.0.0.1', () => say({ event: 'listening', port: (server.address() as net.AddressInfo).port }));
}

async function rawSend(port: number, bytes: number): Promise<void> {
  const block = Buffer.alloc(1024 * 1024, 0x5a);
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((r) => socket.once('connect', () => r()));
  say({ event: 'start', at: now() });
  let sent = 0;
  while (sent < bytes) {
    const n = Math.min(block.length, bytes - sent);
    sent += n;
    if (!socket.write(n === block.length ? block : block.subarray(0, n))) await new Promise((r) => socket.once('drain', r));
  }
  say({ event: 'sent', at: now() });
  socket.end();
}

async function linkRecv(dir: string, invitationId: string, password: string): Promise<void> {
  const listener = await startInvitationListener({
    invitationId,
    password,
    requesterName: 'Bench requester',
    expiresAt: Date.now() + 10 * 60_000,
    channelSchemas: CHANNEL_SCHEMAS,
    logger: quietLog,
    host: '127.0.0.1',
  });
  listener.on('linked', ({ link }) => {
    say({ event: 'linked', at: now() });
    const files = service(link, 'requester', dir);
    files.onProgress((p: TransferProgress) => {
      if (p.state === 'completed' || p.state === 'failed' || p.state === 'cancelled' || p.state === 'declined') say({ event: p.state, at: now(), savedAs: p.savedAs, reason: p.reason });
    });
    link.onClose(() => process.exit(0));
  });
  say({ event: 'listening', port: listener.port });
}

async function linkSend(port: number, invitationId: string, password: string, file: string): Promise<void> {
  const { link } = await connectToInvitation({
    candidates: [{ host: '127.0.0.1', port }],
    invitationId,
    password,
    helperName: 'Bench helper',
    channelSchemas: CHANNEL_SCHEMAS,
    logger: quietLog,
  });
  const files = service(link, 'helper', '/nonexistent');
  let last = '';
  files.onProgress((p: TransferProgress) => {
    // One event per state change (waiting → transferring → verifying → …).
    if (p.state === last) return;
    last = p.state;
    say({ event: p.state, at: now(), ...(p.reason ? { reason: p.reason } : {}) });
    if (p.state === 'completed' || p.state === 'failed' || p.state === 'cancelled' || p.state === 'declined') {
      link.close();
      setTimeout(() => process.exit(0), 100);
    }
  });
  say({ event: 'send', at: now() });
  files.send([file]);
}

/** The link's own cost (AES-GCM records, framing, flow control) without files, hashes or disk. */
async function blastRecv(invitationId: string, password: string, bytes: number): Promise<void> {
  const listener = await startInvitationListener({ invitationId, password, requesterName: 'Bench requester', expiresAt: Date.now() + 600_000, channelSchemas: CHANNEL_SCHEMAS, logger: quietLog, host: '127.0.0.1' });
  listener.on('linked', ({ link }) => {
    say({ event: 'linked', at: now() });
    let got = 0;
    link.channel('files').onMessage((_h, body) => {
      got += body?.byteLength ?? 0;
      if (got >= bytes) {
        say({ event: 'received', at: now(), bytes: got });
        link.close();
        setTimeout(() => process.exit(0), 100);
      }
    });
  });
  say({ event: 'listening', port: listener.port });
}

async function blastSend(port: number, invitationId: string, password: string, bytes: number): Promise<void> {
  const { link } = await connectToInvitation({ candidates: [{ host: '127.0.0.1', port }], invitationId, password, helperName: 'Bench helper', channelSchemas: CHANNEL_SCHEMAS, logger: quietLog });
  const files = link.channel('files');
  const body = new Uint8Array(FILE_CHUNK_BYTES).fill(0x5a);
  const header = { type: 'chunk', transferId: 'benchbenchbenchbench', index: 0, offset: 0, sha256: '0'.repeat(64) };
  say({ event: 'start', at: now() });
  for (let sent = 0, i = 0; sent < bytes; i++) {
    const n = Math.min(body.length, bytes - sent);
    sent += n;
    if (!files.send({ ...header, index: i, offset: i * FILE_CHUNK_BYTES }, n === body.length ? body : body.subarray(0, n))) await new Promise<void>((r) => files.onDrain(r));
  }
  // send() seals each frame when called, so nearly all of this side's work is done here.
  say({ event: 'sent', at: now() });
  link.onClose(() => process.exit(0));
}

const [mode, ...a] = process.argv.slice(2);
const main: Record<string, () => Promise<void>> = {
  'raw-recv': () => rawRecv(Number(a[0])),
  'raw-send': () => rawSend(Number(a[0]), Number(a[1])),
  'link-recv': () => linkRecv(a[0]!, a[1]!, a[2]!),
  'link-send': () => linkSend(Number(a[0]), a[1]!, a[2]!, a[3]!),
  'blast-recv': () => blastRecv(a[0]!, a[1]!, Number(a[2])),
  'blast-send': () => blastSend(Number(a[0]), a[1]!, a[2]!, Number(a[3])),
};
const run = main[mode ?? ''];
if (!run) {
  process.stderr.write(`file-peer: unknown mode ${mode}\n`);
  process.exit(2);
}
run().catch((e: unknown) => {
  process.stderr.write(`file-peer ${mode}: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
