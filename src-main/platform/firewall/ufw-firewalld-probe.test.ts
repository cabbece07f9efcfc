import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFakeRunner } from './fake-runner';
import { FirewalldProbe } from './firewalld-probe';
import { UfwProbe, evaluateUfwStatus } from './ufw-probe';

const fx = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
const P = 48721;

describe('ufw (recorded `ufw status verbose`)', () => {
  const probe = (stdout: string, code = 0, stderr = '') => new UfwProbe(createFakeRunner({ 'ufw status verbose': { code, stdout, stderr } })).check(P);

  it('inactive ufw allows, and still says how to open the port', async () => {
    const r = await probe(fx('ufw-inactive.txt'));
    expect(r).toMatchObject({ presence: 'inactive', status: 'allowed', firewall: 'ufw', howToAllow: 'sudo ufw allow 48721/tcp' });
  });

  it('default deny with no rule for the port is blocked (the v6 and app-profile rules do not count)', async () => {
    const r = await probe(fx('ufw-default-deny.txt'));
    expect(r).toMatchObject({ presence: 'active', status: 'blocked', howToAllow: 'sudo ufw allow 48721/tcp' });
    expect(r.detail).toMatch(/denies incoming connections by default/);
  });

  it('an ALLOW rule whose range covers the port allows it; the UDP deny does not affect TCP', async () => {
    const r = await probe(fx('ufw-allow-port.txt'));
    expect(r.status).toBe('allowed');
    expect(r.detail).toContain('48000:49000/tcp');
    expect(evaluateUfwStatus(fx('ufw-allow-port.txt'), P, 'udp').status).toBe('blocked');
    expect(evaluateUfwStatus(fx('ufw-allow-port.txt'), 22, 'tcp').status).toBe('allowed'); // LIMIT lets connections in
  });

  it('first match wins: a REJECT before an ALLOW blocks even with default allow', async () => {
    const r = await probe(fx('ufw-deny-first.txt'));
    expect(r.status).toBe('blocked');
    expect(r.detail).toContain('48721/tcp REJECT IN');
    // Another port: default allow; the source blocklist is only noted.
    const other = evaluateUfwStatus(fx('ufw-deny-first.txt'), 5000, 'tcp');
    expect(other.status).toBe('allowed');
    expect(other.detail).toContain('203.0.113.7');
  });

  it('rules for one source or interface only make the answer unknown, with the reason', async () => {
    const r = await probe(fx('ufw-source-only.txt'));
    expect(r.status).toBe('unknown');
    expect(r.detail).toContain('192.168.1.0/24');
    expect(r.detail).toContain('eth1');
  });

  it('not root: unknown, with the command to check', async () => {
    const r = await probe('', 1, fx('ufw-not-root.stderr.txt'));
    expect(r).toMatchObject({ presence: 'unreadable', status: 'unknown', firewall: 'ufw' });
    expect(r.detail).toMatch(/administrator rights.*sudo ufw status verbose/);
  });

  it('not installed: absent', async () => {
    const r = await new UfwProbe(createFakeRunner({})).check(P);
    expect(r.presence).toBe('absent');
  });
});

describe('firewalld (recorded firewall-cmd outputs)', () => {
  const base = (ports: string, services = fx('firewalld-list-services.txt')) => ({
    'firewall-cmd --state': 'running\n',
    'firewall-cmd --get-default-zone': 'public\n',
    'firewall-cmd --list-ports': ports,
    'firewall-cmd --list-services': services,
    'firewall-cmd --info-service=ssh': fx('firewalld-info-ssh.txt'),
    'firewall-cmd --info-service=cockpit': fx('firewalld-info-cockpit.txt'),
    'firewall-cmd --info-service=dhcpv6-client': fx('firewalld-info-dhcpv6-client.txt'),
    'firewall-cmd --info-service=remote-assist': fx('firewalld-info-remote-assist.txt'),
  });

  it('an open port range covering ours: allowed', async () => {
    const r = await new FirewalldProbe(createFakeRunner(base(fx('firewalld-list-ports.txt')))).check(P);
    expect(r).toMatchObject({ presence: 'active', status: 'allowed', firewall: 'firewalld' });
    expect(r.detail).toContain('48000-49000/tcp');
  });

  it('no port and no service including it: blocked, with the permanent command', async () => {
    const run = createFakeRunner(base(fx('firewalld-list-ports-none.txt')));
    const r = await new FirewalldProbe(run).check(P);
    expect(r.status).toBe('blocked');
    expect(r.howToAllow).toBe('sudo firewall-cmd --permanent --add-port=48721/tcp && sudo firewall-cmd --reload');
    // Every service was resolved through argv, never a shell string.
    expect(run.calls.map((c) => c.args.join(' '))).toContain('--info-service=cockpit');
  });

  it('a service whose ports include ours: allowed', async () => {
    const r = await new FirewalldProbe(createFakeRunner(base('', 'ssh remote-assist\n'))).check(P);
    expect(r.status).toBe('allowed');
    expect(r.detail).toContain('remote-assist');
  });

  it('UDP is not opened by a TCP port', async () => {
    const r = await new FirewalldProbe(createFakeRunner(base(fx('firewalld-list-ports.txt')))).check(P, 'udp');
    expect(r.status).toBe('blocked');
  });

  it('not running: inactive; trusted zone: allowed; not installed: absent', async () => {
    expect((await new FirewalldProbe(createFakeRunner({ 'firewall-cmd --state': { code: 252, stdout: 'not running\n', stderr: '' } })).check(P)).presence).toBe('inactive');
    const trusted = await new FirewalldProbe(createFakeRunner({ ...base(''), 'firewall-cmd --get-default-zone': 'trusted\n' })).check(P);
    expect(trusted.status).toBe('allowed');
    expect((await new FirewalldProbe(createFakeRunner({})).check(P)).presence).toBe('absent');
  });

  it('rules unreadable (polkit refused): unknown', async () => {
    const r = await new FirewalldProbe(createFakeRunner({ ...base(''), 'firewall-cmd --list-ports': { code: 11, stdout: '', stderr: 'Authorization failed.\n' } })).check(P);
    expect(r).toMatchObject({ presence: 'unreadable', status: 'unknown' });
    expect(r.detail).toContain('Authorization failed');
  });
});
