// File throughput, 256 MiB each: raw loopback TCP between two processes (the physical limit
// here), the link alone (its records without files), our link (two processes, one per main: invitation listener + FileTransferService on
// one side, connector + FileTransferService on the other — the product's own modules, real TCP,
// real CPace, AES-GCM records, per-chunk and whole-file SHA-256, .part + fsync + rename), and
// scp over loopback to a throwaway sshd with the default cipher and with aes128-gcm.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import type { Sshd } from './sshd';
import { cpuMsWithChildren } from './proc-sampler';

const peerScript = path.join(import.meta.dirname, 'file-peer.ts');

/** One round of the file figures, MB/s = 10^6 bytes per second. */
export interface FileRound {
  rawMBps: number;
  /** The link alone (two processes, AES-GCM records and flow control, one-chunk (512 KiB) messages; no files, hashes or disk). */
  linkOnlyMBps: number;
  /** Our link, from `send()` to the sender seeing `complete` (offer/accept, transfer with hashing, receiver's verify + fsync + rename). */
  linkMBps: number;
  /** Our link, only the streaming phase (transferring → complete). */
  linkStreamMBps: number;
  /** send() → accepted (open, offer, answer), streaming (chunks hashed as they go), verifying (`done` → `complete`). */
  linkPhasesMs: { offerToAccept: number; streaming: number; verifying: number };
  /** scp wall time, and wall time minus an ssh login (`ssh true`), for both ciphers. */
  scpDefaultMBps: number;
  scpDefaultNetMBps: number;
  scpAesMBps: number;
  scpAesNetMBps: number;
  sshLoginMs: number;
  /** CPU time (ms, all threads) each end spent on the 256 MiB: where a 2-core machine's time goes. */
  cpuMs: Record<'raw' | 'linkOnly' | 'files' | 'scpDefault' | 'scpAes', { sender: number; receiver: number }>;
}

/** Writes `bytes` of random data (incompressible, so no tool gains from compression). */
export function prepareSource(dir: string, bytes: number): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `source-${bytes}.bin`);
  if (fs.existsSync(file) && fs.statSync(file).size === bytes) return file;
  const fd = fs.openSync(file, 'w');
  for (let done = 0; done < bytes; ) {
    const n = Math.min(16 * 1024 * 1024, bytes - done);
    fs.writeSync(fd, randomBytes(n));
    done += n;
  }
  fs.closeSync(fd);
  return file;
}

interface Peer {
  /** Every event so far, in order. */
  all(): Record<string, unknown>[];
  next(event: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  done: Promise<number>;
}

function startPeer(args: string[]): Peer {
  const proc = spawn(process.execPath, ['--import', 'tsx', peerScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const events: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  readline.createInterface({ input: proc.stdout }).on('line', (line) => {
    try {
      events.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      return;
    }
    for (const w of waiters.splice(0)) w();
  });
  const done = new Promise<number>((r) => proc.once('exit', (code) => r(code ?? 1)));
  void done.then(() => {
    for (const w of waiters.splice(0)) w();
  });
  return {
    done,
    all: () => [...events],
    async next(event, timeoutMs = 120_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const hit = events.find((e) => e.event === event);
        if (hit) return hit;
        const failed = events.find((e) => e.event === 'failed' || e.event === 'cancelled' || e.event === 'declined');
        if (failed) throw new Error(`file peer ${args[0]}: ${failed.event} (${String(failed.reason)})`);
        if (proc.exitCode !== null || Date.now() > end) throw new Error(`file peer ${args[0]} ${proc.exitCode !== null ? `exited with ${proc.exitCode}` : 'timed out'} before "${event}":\n${stderr}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 1000);
        });
      }
    },
  };
}

const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

async function rawTcp(bytes: number): Promise<{ mbps: number; cpu: Cpu }> {
  const recv = startPeer(['raw-recv', String(bytes)]);
  const { port } = await recv.next('listening');
  const send = startPeer(['raw-send', String(port), String(bytes)]);
  const start = await send.next('start');
  const end = await recv.next('received');
  const cpu = { sender: cpuBetween(start, await send.next('sent')), receiver: cpuBetween(await recv.next('accepted'), end) };
  await Promise.all([recv.done, send.done]);
  return { mbps: mbps(bytes, (end.at as number) - (start.at as number)), cpu };
}

type Cpu = { sender: number; receiver: number };
const cpuBetween = (a: Record<string, unknown>, b: Record<string, unknown>) => (b.cpuMs as number) - (a.cpuMs as number);

async function linkOnly(bytes: number): Promise<{ mbps: number; cpu: Cpu }> {
  const id = randomBytes(16).toString('base64url');
  const password = randomBytes(12).toString('base64url');
  const recv = startPeer(['blast-recv', id, password, String(bytes)]);
  const { port } = await recv.next('listening');
  const send = startPeer(['blast-send', String(port), id, password, String(bytes)]);
  const start = await send.next('start');
  const end = await recv.next('received');
  const cpu = { sender: cpuBetween(start, await send.next('sent')), receiver: cpuBetween(await recv.next('linked'), end) };
  await Promise.all([recv.done, send.done]);
  return { mbps: mbps(bytes, (end.at as number) - (start.at as number)), cpu };
}

async function overLink(workDir: string, file: string, bytes: number): Promise<Pick<FileRound, 'linkMBps' | 'linkStreamMBps' | 'linkPhasesMs'> & { cpu: Cpu }> {
  const dir = path.join(workDir, 'link-downloads');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const id = randomBytes(16).toString('base64url');
  const password = randomBytes(12).toString('base64url');
  const recv = startPeer(['link-recv', dir, id, password]);
  const { port } = await recv.next('listening');
  const send = startPeer(['link-send', String(port), id, password, file]);
  const received = await recv.next('completed');
  const saved = received.savedAs as string;
  const cpu = { sender: cpuBetween(await send.next('send'), await send.next('completed')), receiver: cpuBetween(await recv.next('linked'), received) };
  await Promise.all([recv.done, send.done]);
  // The sender's states in order: send, waiting (queued, then offered), transferring, verifying, completed.
  // There is no hashing pass before the offer any more: the file is hashed while it streams.
  const states = send.all();
  const at = (e: string) => (states.find((s) => s.event === e)?.at as number | undefined) ?? Number.NaN;
  const sendAt = at('send');
  const transferringAt = at('transferring');
  const verifyingAt = at('verifying');
  const completedAt = at('completed');
  if (fs.statSync(saved).size !== bytes) throw new Error(`the link delivered ${fs.statSync(saved).size} bytes, not ${bytes}`);
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    linkMBps: mbps(bytes, completedAt - sendAt),
    linkStreamMBps: mbps(bytes, completedAt - transferringAt),
    linkPhasesMs: { offerToAccept: transferringAt - sendAt, streaming: verifyingAt - transferringAt, verifying: completedAt - verifyingAt },
    cpu,
  };
}

function timed(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return performance.now() - t0;
}

/** One round of all the file figures. */
export async function fileRound(workDir: string, file: string, bytes: number, sshd: Sshd): Promise<FileRound> {
  const raw = await rawTcp(bytes);
  const only = await linkOnly(bytes);
  const link = await overLink(workDir, file, bytes);
  const target = path.join(workDir, 'scp-target.bin');
  // The fastest of three logins: the figure subtracted from scp's wall time must not be inflated by a hiccup.
  const sshLoginMs = Math.min(...[0, 1, 2].map(() => timed('ssh', [...sshd.clientArgs('-p'), '127.0.0.1', 'true'])));
  const scp = (cipher: string[]) => {
    fs.rmSync(target, { force: true });
    // scp and its ssh are our children and reaped, the connection's sshd processes are sshd's.
    const c0 = cpuMsWithChildren('self');
    const s0 = cpuMsWithChildren(sshd.pid);
    const ms = timed('scp', [...sshd.clientArgs('-P'), ...cipher, '-q', file, `127.0.0.1:${target}`]);
    const cpu = { sender: cpuMsWithChildren('self') - c0, receiver: cpuMsWithChildren(sshd.pid) - s0 };
    if (fs.statSync(target).size !== bytes) throw new Error('scp delivered the wrong size');
    fs.rmSync(target, { force: true });
    return { ms, cpu };
  };
  const def = scp([]);
  const aes = scp(['-c', 'aes128-gcm@openssh.com']);
  return {
    rawMBps: raw.mbps,
    linkOnlyMBps: only.mbps,
    linkMBps: link.linkMBps,
    linkStreamMBps: link.linkStreamMBps,
    linkPhasesMs: link.linkPhasesMs,
    cpuMs: { raw: raw.cpu, linkOnly: only.cpu, files: link.cpu, scpDefault: def.cpu, scpAes: aes.cpu },
    scpDefaultMBps: mbps(bytes, def.ms),
    scpDefaultNetMBps: def.ms > sshLoginMs ? mbps(bytes, def.ms - sshLoginMs) : Number.NaN,
    scpAesMBps: mbps(bytes, aes.ms),
    scpAesNetMBps: aes.ms > sshLoginMs ? mbps(bytes, aes.ms - sshLoginMs) : Number.NaN,
    sshLoginMs,
  };
}
