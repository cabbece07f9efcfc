import { describe, expect, it } from 'vitest';
import { allowListCount, findListedHelper } from './allow-list';
import { hostLabel } from './known-hosts';
import { parseOfferTarget } from './offer-target';

describe('what the helper typed', () => {
  it.each([
    ['pc-42', undefined, { host: 'pc-42', port: 48721 }],
    [' pc-42.corp.example ', undefined, { host: 'pc-42.corp.example', port: 48721 }],
    ['10.0.0.7:50000', undefined, { host: '10.0.0.7', port: 50000 }],
    ['10.0.0.7:50000', 50001, { host: '10.0.0.7', port: 50001 }],
    ['fe80::1', undefined, { host: 'fe80::1', port: 48721 }],
    ['[fe80::1]:50000', undefined, { host: 'fe80::1', port: 50000 }],
  ] as const)('%s (port %s)', (text, port, want) => {
    expect(parseOfferTarget(text, port, 48721)).toEqual(want);
  });

  it('refuses what cannot be an address', () => {
    for (const bad of ['', 'a b', 'user@host', 'C:\\x', 'pc:99999']) expect(() => parseOfferTarget(bad, undefined, 48721), bad).toThrow(/computer name|port number/);
  });

  it('pins host keys by the address typed, with the port only when it is not the default', () => {
    expect(hostLabel('PC-42.', 48721, 48721)).toBe('pc-42');
    expect(hostLabel('pc-42', 50000, 48721)).toBe('[pc-42]:50000');
    expect(hostLabel('[::1]', 48721, 48721)).toBe('::1');
  });
});

describe('the allow-list', () => {
  const fp = 'SHA256:' + 'a'.repeat(43);
  const lists = { offerHelpers: [{ name: 'Helen\u202e (help desk)', fingerprint: fp }], offerAdmins: [{ name: 'Ada', fingerprint: 'SHA256:' + 'b'.repeat(42) + 'c' }] };

  it('matches by canonical fingerprint and shows the administrator-given name as one plain line', () => {
    expect(findListedHelper(lists, fp)).toEqual({ name: 'Helen  (help desk)', admin: false });
    expect(findListedHelper(lists, 'sha256:' + 'a'.repeat(43) + '=')).toEqual({ name: 'Helen  (help desk)', admin: false });
    expect(findListedHelper(lists, 'SHA256:' + 'b'.repeat(42) + 'c')?.admin).toBe(true);
    expect(findListedHelper(lists, 'SHA256:' + 'z'.repeat(43))).toBeNull();
    expect(findListedHelper({ offerHelpers: [{ name: 'x', fingerprint: 'SHA256:abcdefgh' }], offerAdmins: [] }, 'SHA256:abcdefgh')).toBeNull();
  });

  it('counts distinct helper IDs across both lists', () => {
    expect(allowListCount({ offerHelpers: [...lists.offerHelpers, { name: 'dup', fingerprint: fp }], offerAdmins: lists.offerAdmins })).toBe(2);
  });
});
