import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { sanitiseFileName } from '../files/sanitise-name';
import { tokensEqual } from './ws-endpoint';

/**
 * The browser host's way to hand files to main: the page PUTs the bytes of a file the user picked
 * or dropped, main keeps them in the profile's staging folder, and `files.send` sends from there.
 * (A page cannot give main a path; in Electron, main's own dialog picks files.)
 */
export interface UploadOptions {
  stagingDir: string;
  token: string;
  origin: () => string;
  maxBytes: () => number;
}

/** Handles `PUT /upload?name=…` (token in the `x-remote-assist-token` header). Returns false if not an upload. */
export function handleUpload(req: http.IncomingMessage, res: http.ServerResponse, o: UploadOptions): boolean {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== '/upload') return false;
  const reply = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  if (req.method !== 'PUT') return reply(405, { error: 'Use PUT.' }), true;
  if (req.headers.origin !== o.origin() || !tokensEqual(String(req.headers['x-remote-assist-token'] ?? ''), o.token)) return reply(403, { error: 'Forbidden.' }), true;
  const declared = Number(req.headers['content-length']);
  const max = o.maxBytes();
  if (Number.isFinite(declared) && declared > max) return reply(413, { error: `The file is larger than the ${Math.round(max / 1048576)} MB allowed.` }), true;
  const name = sanitiseFileName(url.searchParams.get('name') ?? 'file');
  const dir = path.join(o.stagingDir, crypto.randomBytes(9).toString('base64url'));
  const file = path.join(dir, name);
  let seen = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      cb(seen > max ? new Error('too large') : null, chunk);
    },
  });
  void (async () => {
    try {
      await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
      await pipeline(req, limit, fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
      reply(200, { path: file, size: seen });
    } catch (e) {
      await fs.promises.rm(dir, { recursive: true, force: true }).catch(() => {});
      reply(seen > max ? 413 : 500, { error: seen > max ? 'The file is too large.' : `The file could not be received: ${(e as Error).message}` });
    }
  })();
  return true;
}
