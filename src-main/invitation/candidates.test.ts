import type os from 'node:os';
import { describe, expect, it } from 'vitest';
import { localCandidates, type InterfaceTable } from './candidates';
import { MAX_CANDIDATES } from './ticket-limits';
import { CandidateSchema } from './ticket-schema';

function iface(address: string, internal = false, scopeid?: number): os.NetworkInterfaceInfo {
  const v6 = address.includes(':');
  const base = { address, netmask: v6 ? 'ffff:ffff:ffff:ffff::' : '255.255.255.0', mac: '02:00:00:00:00:01', internal, cidr: null };
  return v6 ? { ...base, family: 'IPv6', scopeid: scopeid ?? 0 } : { ...base, family: 'IPv4' };
}

const hosts = (table: InterfaceTable) => localCandidates(5950, table).map((c) => c.host);

describe('localCandidates', () => {
  it('orders real IPv4, real IPv6, bridges, IPv4 link-local, then 127.0.0.1 and ::1 last', () => {
    const table: InterfaceTable = {
      lo: [iface('127.0.0.1', true), iface('::1', true)],
      docker0: [iface('172.17.0.1'), iface('fd99::1')],
      eth0: [iface('192.168.1.20'), iface('2001:db8::20'), iface('fe80::1c2d:3e4f:5a6b:7c8d', false, 2), iface('169.254.10.20')],
      wlan0: [iface('10.0.0.7'), iface('fd00::7')],
      tailscale0: [iface('100.101.102.103')],
    };
    expect(hosts(table)).toEqual(['192.168.1.20', '10.0.0.7', '100.101.102.103', '2001:db8::20', 'fd00::7', '172.17.0.1', 'fd99::1', '169.254.10.20', '127.0.0.1', '::1']);
    expect(localCandidates(5950, table).every((c) => c.port === 5950)).toBe(true);
  });

  it('skips link-local IPv6 (its zone id would be wrong on the helper), multicast and unspecified addresses', () => {
    const table: InterfaceTable = { eth0: [iface('fe80::1', false, 2), iface('FE80::2', false, 2), iface('0.0.0.0'), iface('::'), iface('ff02::1'), iface('224.0.0.1')] };
    expect(hosts(table)).toEqual(['127.0.0.1', '::1']);
  });

  it('de-duplicates an address seen on two interfaces', () => {
    expect(hosts({ a: [iface('10.0.0.7')], b: [iface('10.0.0.7')], c: [iface('127.0.0.1')] })).toEqual(['10.0.0.7', '127.0.0.1', '::1']);
  });

  it(`returns at most ${MAX_CANDIDATES}, always ending with the loopback pair`, () => {
    const many: InterfaceTable = { eth0: Array.from({ length: 40 }, (_, i) => iface(`10.0.${i}.1`)) };
    const list = hosts(many);
    expect(list).toHaveLength(MAX_CANDIDATES);
    expect(list.slice(-2)).toEqual(['127.0.0.1', '::1']);
    expect(list[0]).toBe('10.0.0.1');
  });

  it('works on this machine and every candidate passes the schema', () => {
    const list = localCandidates(5950);
    expect(list.slice(-2).map((c) => c.host)).toEqual(['127.0.0.1', '::1']);
    for (const c of list) expect(CandidateSchema.safeParse(c).success, c.host).toBe(true);
  });

  it('refuses a port outside 1..65535', () => {
    for (const port of [0, 65536, 1.5, NaN]) expect(() => localCandidates(port, {})).toThrow(/port must be from 1 to 65535/);
  });
});
