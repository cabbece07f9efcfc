/**
 * Across networks, end to end: both apps may reach each other only through the organisation's
 * servers. A real rendezvous relay (`remote-assist relay`) carries the link, and a real coturn on
 * loopback carries the screen video (iceTransportPolicy 'relay' leaves WebRTC no other way). The
 * policy on both computers turns direct connections off.
 *
 * Proofs: the session's peerAddress says "via relay", and the helper page's RTCPeerConnection
 * (recorded by an init script of this test, not by a product hook) selected a candidate pair whose
 * two ends are TURN relay candidates — while the helper sees the requester's screen.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, type AppInstance } from './harness/fixtures';
import { answerConsent, connectHelper, createInvitation, videoPixel, waitForVideo } from './harness/flows';
import { invokeFromPage, near, paintRoot } from './harness/page-tools';

const repoRoot = path.resolve(import.meta.dirname, '..');
const TURN_SECRET = `e2e-turn-${process.pid}-${Date.now()}`;

/** A child process with its output, stopped after the test. */
interface Service {
  readonly proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function startService(cmd: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp, what: string): Promise<Service> {
  const proc = spawn(cmd, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const service: Service = {
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 15 s:\n${out}`)), 15_000);
    const check = () => {
      if (!ready.test(out)) return;
      clearTimeout(timer);
      proc.stdout!.off('data', check);
      proc.stderr!.off('data', check);
      resolve(service);
    };
    proc.stdout!.on('data', check);
    proc.stderr!.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before it was ready:\n${out}`));
    });
  });
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** coturn on 127.0.0.1 with the TURN REST scheme (use-auth-secret), as docs/relay.md describes for production. */
async function startCoturn(): Promise<{ service: Service; url: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-e2e-coturn-'));
  const port = await freePort();
  const conf = path.join(dir, 'turnserver.conf');
  fs.writeFileSync(
    conf,
    [
      'listening-ip=127.0.0.1',
      `listening-port=${port}`,
      'relay-ip=127.0.0.1',
      'min-port=49200',
      'max-port=49700',
      'use-auth-secret',
      `static-auth-secret=${TURN_SECRET}`,
      'realm=remote-assist.test',
      'no-tls',
      'no-dtls',
      // Both browsers' relayed addresses are on 127.0.0.1 here; never in production.
      'allow-loopback-peers',
      'no-cli',
      'fingerprint',
      'log-file=stdout',
      'simple-log',
      `pidfile=${path.join(dir, 'turnserver.pid')}`,
      `userdb=${path.join(dir, 'turndb')}`,
    ].join('\n') + '\n',
  );
  const service = await startService('turnserver', ['-c', conf], {}, /Total General servers/, 'coturn (turnserver)');
  return { service, url: `turn:127.0.0.1:${port}?transport=udp` };
}

/** `remote-assist relay` on a free port, minting TURN credentials when `turnUrl` is given. */
async function startRelay(turnUrl: string | null): Promise<{ service: Service; url: string }> {
  const args = [path.join(repoRoot, 'bin/remote-assist.mjs'), 'relay', '--port', '0', '--host', '127.0.0.1', ...(turnUrl ? ['--turn-url', turnUrl] : [])];
  const service = await startService(process.execPath, args, turnUrl ? { REMOTE_ASSIST_RELAY_TURN_SECRET: TURN_SECRET } : {}, /"event":"relay\.listening"/, 'the relay');
  const port = (JSON.parse(service.output().split('\n').find((l) => l.includes('relay.listening'))!) as { port: number }).port;
  return { service, url: `ws://127.0.0.1:${port}/` };
}

function policyFile(settings: Record<string, unknown>): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ra-e2e-policy-')), 'policy.json');
  fs.writeFileSync(file, JSON.stringify({ version: 1, settings }));
  return file;
}

/** Records the page's RTCPeerConnections (test instrumentation only), then reloads so it applies. */
async function recordPeerConnections(app: AppInstance, route: 'invite' | 'help'): Promise<void> {
  await app.page.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const seen: RTCPeerConnection[] = [];
    (window as unknown as { __e2ePeerConnections: RTCPeerConnection[] }).__e2ePeerConnections = seen;
    window.RTCPeerConnection = class extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        seen.push(this);
      }
    };
  });
  await app.page.reload();
  await app.page.locator(`.app[data-route="${route}"]`).waitFor();
}

/** The candidate types of the pair the page's peer connection selected, and its ICE policy. */
async function selectedPair(page: Page): Promise<{ local: string; remote: string; policy: string; relayProtocol: string | null; turnUrl: string | null }> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __e2ePeerConnections: RTCPeerConnection[] }).__e2ePeerConnections;
    const pc = pcs.at(-1);
    if (!pc) throw new Error('the page made no RTCPeerConnection');
    // RTCStatsReport is a Map-like; the DOM typings here omit `get`.
    const stats = (await pc.getStats()) as RTCStatsReport & Map<string, unknown>;
    let pair: { localCandidateId: string; remoteCandidateId: string } | undefined;
    stats.forEach((r: { type: string; selectedCandidatePairId?: string }) => {
      if (r.type === 'transport' && r.selectedCandidatePairId) pair = stats.get(r.selectedCandidatePairId) as typeof pair;
    });
    if (!pair) throw new Error('no selected candidate pair yet');
    const local = stats.get(pair.localCandidateId) as { candidateType: string; relayProtocol?: string; url?: string };
    const remote = stats.get(pair.remoteCandidateId) as { candidateType: string };
    return { local: local.candidateType, remote: remote.candidateType, policy: pc.getConfiguration().iceTransportPolicy ?? 'all', relayProtocol: local.relayProtocol ?? null, turnUrl: local.url ?? null };
  });
}

async function sessionOf(page: Page): Promise<{ peerAddress: string; iceTransportPolicy?: string; iceServers: { urls: string | string[]; username?: string }[] }> {
  const r = (await invokeFromPage(page, 'session.get', {})) as { session: { peerAddress: string; iceTransportPolicy?: string; iceServers: { urls: string | string[]; username?: string }[] } };
  return r.session;
}

/**
 * Viewing, with the requester's display colour in the helper's video, and the media through our
 * coturn: the selected pair joins two relay candidates, the local one allocated on `turnUrl` (an
 * allocation coturn grants only to a valid REST credential).
 */
async function expectScreenThroughTurn(helper: AppInstance, turnUrl: string): Promise<void> {
  await expect(helper.page.getByTestId('session')).toHaveAttribute('data-state', 'viewing');
  await waitForVideo(helper);
  await expect.poll(async () => near(await videoPixel(helper, 1200, 760), [0x33, 0x66, 0xcc], 24), { timeout: 15_000 }).toBe(true);
  await expect
    .poll(() => selectedPair(helper.page).catch((e: Error) => e.message), { timeout: 10_000 })
    .toEqual({ local: 'relay', remote: 'relay', policy: 'relay', relayProtocol: 'udp', turnUrl: expect.stringContaining(turnUrl.replace(/\?.*$/, '')) });
}

test.describe('across networks: relay for the link, TURN for the video', () => {
  let coturn: Awaited<ReturnType<typeof startCoturn>>;
  const services: Service[] = [];

  test.beforeAll(async () => {
    coturn = await startCoturn();
    services.push(coturn.service);
  });
  test.afterAll(async () => {
    for (const s of services.reverse()) await s.stop();
  });
  // eslint-disable-next-line no-empty-pattern -- Playwright needs the fixtures argument to pass testInfo
  test.afterEach(async ({}, testInfo) => {
    if (testInfo.status !== testInfo.expectedStatus) {
      for (const s of services) await testInfo.attach(`service-${s.proc.pid}`, { body: s.output(), contentType: 'text/plain' });
    }
  });

  test('relay-only policy: invitation file → connect → consent → the screen, link via the relay, video via TURN credentials the relay minted', async ({ launchApp }) => {
    const relay = await startRelay(coturn.url);
    services.push(relay.service);
    const policy = policyFile({ relayUrl: relay.url, directConnections: false, iceTransportPolicy: 'relay', iceServers: [] });
    const requester = await launchApp({ role: 'requester', env: { REMOTE_ASSIST_POLICY_FILE: policy } });
    const helper = await launchApp({ role: 'helper', env: { REMOTE_ASSIST_POLICY_FILE: policy } });
    await recordPeerConnections(helper, 'help');
    await paintRoot(requester.display.name, '#3366cc');

    const { file, password } = await createInvitation(requester);
    await expect(requester.page.getByTestId('relay-status')).toContainText('Waiting for your helper at the relay');
    await expect(requester.page.getByTestId('invitation-waiting')).toContainText('only through the relay');
    await connectHelper(helper, file, password);
    await expect(requester.page.getByTestId('consent-dialog')).toContainText('via relay');
    await answerConsent(requester.page, 'view', 'yes');
    await expectScreenThroughTurn(helper, coturn.url);

    const via = relay.url.replace(/\/$/, '');
    const h = await sessionOf(helper.page);
    const q = await sessionOf(requester.page);
    expect(h.peerAddress).toBe(`via relay ${via}`);
    expect(q.peerAddress).toBe(`via relay ${via}`);
    for (const s of [h, q]) {
      expect(s.iceTransportPolicy).toBe('relay');
      expect(s.iceServers).toEqual([expect.objectContaining({ urls: [coturn.url], username: expect.stringMatching(/^\d+:ra-[0-9a-f]{12}$/) })]);
    }
    // The relay paired them (and logged it without the pairing id).
    expect(relay.service.output()).toContain('"event":"pairing.joined"');
  });

  test('Easy Connect: the code shown on the requester page, typed on the helper page; TURN with policy-held REST credentials', async ({ launchApp }) => {
    const relay = await startRelay(null);
    services.push(relay.service);
    // TURN REST credentials as an administrator could put them in the policy (the relay mints none here).
    const username = `${Math.floor(Date.now() / 1000) + 3600}:e2e-policy`;
    const credential = createHmac('sha1', TURN_SECRET).update(username).digest('base64');
    const policy = policyFile({ relayUrl: relay.url, directConnections: false, iceTransportPolicy: 'relay', iceServers: [{ urls: coturn.url, username, credential }] });
    const requester = await launchApp({ role: 'requester', env: { REMOTE_ASSIST_POLICY_FILE: policy } });
    const helper = await launchApp({ role: 'helper', env: { REMOTE_ASSIST_POLICY_FILE: policy } });
    await recordPeerConnections(helper, 'help');
    await paintRoot(requester.display.name, '#3366cc');

    await requester.page.locator('.app[data-route="invite"]').waitFor();
    await requester.page.getByTestId('use-easy-connect').check();
    await expect(requester.page.getByTestId('create-invitation')).toHaveText('Create Easy Connect code');
    await requester.page.getByTestId('create-invitation').click();
    await expect(requester.page.getByTestId('invitation-waiting')).toHaveAttribute('data-state', 'open');
    const code = (await requester.page.getByTestId('easy-connect-code').textContent())!.trim();
    expect(code).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
    await expect(requester.page.getByTestId('download-invitation')).toHaveCount(0);

    // Typed as heard: capitals and spaces instead of dashes.
    await helper.page.getByTestId('easy-connect-input').fill(code.toUpperCase().replaceAll('-', ' '));
    await helper.page.getByTestId('easy-connect-connect').click();
    await expect(helper.page.getByTestId('waiting-card')).toBeVisible();
    await answerConsent(requester.page, 'view', 'yes');
    await expectScreenThroughTurn(helper, coturn.url);

    const h = await sessionOf(helper.page);
    expect(h.peerAddress).toBe(`via relay ${relay.url.replace(/\/$/, '')}`);
    expect(h.iceServers).toEqual([{ urls: coturn.url, username, credential }]);
    expect(relay.service.output()).toContain('"event":"code.joined"');
  });
});
