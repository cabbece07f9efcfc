import { createHash, type Hash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { FILE_CHUNK_BYTES, FILE_WINDOW_CHUNKS } from '../../src-shared/protocol/files';
import type { AppLogger } from '../platform/app-logger';

/**
 * Hashing for both ends of a transfer: each chunk's SHA-256 (the sender puts it in the chunk's
 * header, the receiver checks it) and the whole file's, incrementally as the chunks pass (never a
 * second read of the file). It also owns the chunk buffers, because for large files the hashing
 * runs on a worker thread that reads them from shared memory: two SHA-256 passes per byte
 * (~1.8 GB/s each) would otherwise be the main thread's biggest cost, next to the link's AES-GCM
 * (DESIGN.md section 9) — and on a 2-core machine the worker lets both cores work on one file.
 */
export interface ChunkHasher {
  /** A FILE_CHUNK_BYTES buffer to put a chunk in; at most FILE_WINDOW_CHUNKS are out at once. */
  take(): Buffer;
  /**
   * The SHA-256 (hex) of `buf[0, length)`, which is also added to the file hash — unless `expected`
   * is given and differs (a damaged chunk never enters the file hash). Calls are processed in
   * order; `buf` must not change until this settles.
   */
  hash(buf: Buffer, length: number, expected?: string): Promise<string>;
  /** Gives a buffer back once its chunk is done with. */
  release(buf: Buffer): void;
  /** The whole-file SHA-256 (hex) of every chunk added so far. */
  digest(): Promise<string>;
  close(): void;
}

/** Below this size a worker's start-up (~20 ms) costs more than it saves. */
export const HASH_WORKER_MIN_BYTES = 16 * 1024 * 1024;

/** A worker for large files, hashing inline otherwise (or if a worker cannot start). */
export function createChunkHasher(size: number, logger: AppLogger, workerMinBytes = HASH_WORKER_MIN_BYTES): ChunkHasher {
  if (size >= workerMinBytes) {
    try {
      return new WorkerHasher();
    } catch (e) {
      logger.warn('hash worker unavailable; hashing on the main thread', { error: e });
    }
  }
  return new InlineHasher();
}

class InlineHasher implements ChunkHasher {
  private readonly file: Hash = createHash('sha256');
  private readonly free: Buffer[] = [];

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(FILE_CHUNK_BYTES);
  }

  hash(buf: Buffer, length: number, expected?: string): Promise<string> {
    const view = buf.subarray(0, length);
    const hex = createHash('sha256').update(view).digest('hex');
    if (expected === undefined || hex === expected) this.file.update(view);
    return Promise.resolve(hex);
  }

  release(buf: Buffer): void {
    if (this.free.length < FILE_WINDOW_CHUNKS) this.free.push(buf);
  }

  digest(): Promise<string> {
    return Promise.resolve(this.file.digest('hex'));
  }

  close(): void {
    this.free.length = 0;
  }
}

// Plain JavaScript evaluated in the worker, so it runs the same under tsx, vitest, a bundle or Electron.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const file = createHash('sha256');
parentPort.on('message', (m) => {
  if (m.op === 'chunk') {
    const view = new Uint8Array(workerData.shared, m.offset, m.length);
    const hex = createHash('sha256').update(view).digest('hex');
    if (m.expected === undefined || hex === m.expected) file.update(view);
    parentPort.postMessage(hex);
  } else if (m.op === 'digest') {
    parentPort.postMessage(file.digest('hex'));
  }
});
`;

type Pending = { resolve: (v: string) => void; reject: (e: Error) => void };

class WorkerHasher implements ChunkHasher {
  private readonly shared = new SharedArrayBuffer(FILE_WINDOW_CHUNKS * FILE_CHUNK_BYTES);
  private readonly free: Buffer[] = [];
  private readonly pending: Pending[] = [];
  private readonly worker: Worker;
  private broken: Error | null = null;

  constructor() {
    for (let i = FILE_WINDOW_CHUNKS - 1; i >= 0; i--) this.free.push(Buffer.from(this.shared, i * FILE_CHUNK_BYTES, FILE_CHUNK_BYTES));
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared: this.shared } });
    this.worker.unref();
    // Replies come back in the order the requests were posted.
    this.worker.on('message', (v: string) => this.pending.shift()?.resolve(v));
    this.worker.on('error', (e) => this.breakDown(e));
    this.worker.on('exit', () => this.breakDown(new Error('the hash worker stopped')));
  }

  take(): Buffer {
    const buf = this.free.pop();
    if (!buf) throw new Error('no free chunk buffer (window exceeded)');
    return buf;
  }

  hash(buf: Buffer, length: number, expected?: string): Promise<string> {
    if (buf.buffer !== this.shared) return Promise.reject(new Error('the buffer does not come from this hasher'));
    return this.request({ op: 'chunk', offset: buf.byteOffset, length, expected });
  }

  release(buf: Buffer): void {
    this.free.push(buf);
  }

  digest(): Promise<string> {
    return this.request({ op: 'digest' });
  }

  close(): void {
    this.breakDown(new Error('closed'));
    void this.worker.terminate().catch(() => undefined);
  }

  private request(message: object): Promise<string> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.worker.postMessage(message);
    });
  }

  private breakDown(e: Error): void {
    this.broken ??= e;
    for (const p of this.pending.splice(0)) p.reject(this.broken);
  }
}
