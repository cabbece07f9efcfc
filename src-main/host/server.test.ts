import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from './server';
import { resolveProfile } from '../profile/profile-paths';
import { createMemoryLogger } from '../platform/app-logger';

let host: BrowserHost;
let rendererDir: string;
const logger = createMemoryLogger();

beforeAll(async () => {
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  fs.mkdirSync(path.join(rendererDir, 'assets'));
  fs.writeFileSync(path.join(rendererDir, 'assets', 'a.js'), 'console.log(1)');
  fs.writeFileSync(path.join(os.tmpdir(), 'ra-secret.txt'), 'secret');
  host = await startBrowserHost({ role: 'any', profile: resolveProfile(fs.mkdtempSync(path.join(os.tmpdir(), 'ra-p-'))), logger, rendererDir });
});
afterAll(async () => host.close());

/** Opens a WebSocket and resolves with 'open' or the HTTP status it was refused with. */
function tryWs(url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
    ws.once('error', (e) => resolve(`error: ${e.message}`));
  });
}

function get(pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const { port } = new URL(host.origin);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser host WebSocket guard', () => {
  const ws = () => host.origin.replace('http', 'ws');
  it('accepts the right token from the right origin', async () => {
    expect(await tryWs(`${ws()}/rpc?token=${host.token}`, { origin: host.origin })).toBe('open');
  });
  it('refuses a connection without the token', async () => {
    expect(await tryWs(`${ws()}/rpc`, { origin: host.origin })).toBe('403');
  });
  it('refuses a wrong token of the same length', async () => {
    const wrong = host.token.slice(0, -1) + (host.token.endsWith('A') ? 'B' : 'A');
    expect(await tryWs(`${ws()}/rpc?token=${wrong}`, { origin: host.origin })).toBe('403');
  });
  it('refuses a foreign Origin even with the token', async () => {
    expect(await tryWs(`${ws()}/rpc?token=${host.token}`, { origin: 'http://evil.example' })).toBe('403');
    expect(await tryWs(`${ws()}/rpc?token=${host.token}`, {})).toBe('403');
  });
  it('refuses a rebinding Host header', async () => {
    const { port } = new URL(host.origin);
    expect(await tryWs(`${ws()}/rpc?token=${host.token}`, { origin: host.origin, host: `evil.example:${port}` })).toBe('403');
  });
  it('logs each refusal', () => {
    expect(logger.entries.filter((e) => e.message === 'refused a WebSocket connection').length).toBeGreaterThanOrEqual(4);
  });
});

describe('browser host static files', () => {
  it('serves the page with a strict CSP', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['content-security-policy']).not.toContain('unsafe-inline');
  });
  it('serves assets', async () => {
    expect((await get('/assets/a.js')).body).toBe('console.log(1)');
  });
  it('never serves files outside the renderer folder', async () => {
    for (const p of ['/../ra-secret.txt', '/%2e%2e/ra-secret.txt', '/assets/..%2f..%2fra-secret.txt']) {
      const r = await get(p);
      expect(r.body, p).not.toContain('secret');
    }
  });
  it('answers requests for another host name with 421', async () => {
    expect((await get('/', { host: 'attacker.example' })).status).toBe(421);
  });
  it('refuses methods other than GET', async () => {
    const { port } = new URL(host.origin);
    const status = await new Promise<number>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/', method: 'POST', headers: { host: `127.0.0.1:${port}` } }, (res) => resolve(res.statusCode ?? 0));
      req.end();
    });
    expect(status).toBe(405);
  });
});
