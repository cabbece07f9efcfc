import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src-shared/contract/errors';
import { PartialSettingsSchema } from '../../src-shared/settings/settings-schema';
import { isLoopbackHost, parseRelayUrl } from './relay-url';

function errorOf(text: string) {
  try {
    parseRelayUrl(text);
  } catch (e) {
    if (isAppError(e, 'invalid-input')) return e.message;
    throw e;
  }
  throw new Error(`accepted ${text}`);
}

describe('relay URL', () => {
  it('accepts wss:// anywhere and maps https:// to wss://', () => {
    expect(parseRelayUrl('wss://relay.example.org/ra').href).toBe('wss://relay.example.org/ra');
    expect(parseRelayUrl(' https://relay.example.org:8443 ').href).toBe('wss://relay.example.org:8443/');
  });

  it('accepts ws:// only for a relay on this computer', () => {
    for (const u of ['ws://127.0.0.1:8080/', 'ws://127.9.9.9:1/', 'ws://localhost:1/', 'ws://[::1]:9/', 'http://127.0.0.1:5/']) expect(parseRelayUrl(u).protocol).toBe('ws:');
    const msg = errorOf('ws://relay.example.org/ra');
    expect(msg).toBe(
      'The relay address ws://relay.example.org is not encrypted: use wss://relay.example.org/ra. Plain ws:// is allowed only for a relay on this computer (127.0.0.1, ::1 or localhost), for tests.',
    );
    expect(errorOf('ws://10.0.0.5:8080')).toMatch(/use wss:\/\/10\.0\.0\.5:8080\. Plain ws:\/\/ is allowed only/);
    expect(errorOf('ws://127.0.0.1.evil.example/')).toMatch(/not encrypted/);
  });

  it('refuses other schemes, credentials and garbage with a next step', () => {
    expect(errorOf('ftp://relay.example.org')).toMatch(/must start with wss:\/\/ \(it starts with ftp:\/\/\)/);
    expect(errorOf('wss://user:pw@relay.example.org')).toMatch(/must not contain a user name or password/);
    expect(errorOf('relay.example.org')).toMatch(/not a valid URL\. Use the form wss:\/\/relay\.example\.org/);
  });

  it('recognises loopback hosts only', () => {
    expect(['localhost', '127.0.0.1', '[::1]', '::1', '127.255.0.1'].every(isLoopbackHost)).toBe(true);
    expect(['10.0.0.1', '128.0.0.1', 'localhost.example', '::2', '0.0.0.0'].some(isLoopbackHost)).toBe(false);
  });
});

describe('the relayUrl setting', () => {
  it('takes wss:// (and https://) anywhere, ws:// only on loopback, and says so', () => {
    for (const ok of ['wss://relay.example.org/ra', 'https://r.example:8443', 'ws://127.0.0.1:8080/', 'ws://localhost', 'ws://[::1]:9/x', null]) {
      expect(PartialSettingsSchema.safeParse({ relayUrl: ok }).success, String(ok)).toBe(true);
    }
    for (const bad of ['ws://relay.example.org', 'http://10.0.0.1', 'ws://127.0.0.1.evil.example/']) {
      const r = PartialSettingsSchema.safeParse({ relayUrl: bad });
      expect(r.success, bad).toBe(false);
      expect(r.error!.issues[0]!.message).toMatch(/^use wss:\/\/ \(ws:\/\/ is allowed only for a relay on this computer/);
    }
  });
});
