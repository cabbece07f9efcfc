import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mintTurnCredentials, turnUsernameExpiry, type TurnConfig } from './turn-credentials';

const cfg: TurnConfig = { secret: 'north-pole-secret', urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'], ttlSeconds: 3600 };

describe('TURN REST credentials (coturn use-auth-secret)', () => {
  it('matches a vector computed independently (openssl dgst -sha1 -hmac … | base64)', () => {
    const now = 1_700_000_000_000;
    const c = mintTurnCredentials(cfg, 'ra-3f9a0c51be27', now);
    expect(c.username).toBe('1700003600:ra-3f9a0c51be27');
    expect(c.credential).toBe('cSUtJ5G+7ojJi2x+LJ8kmt1Noko=');
    expect(c.urls).toEqual(cfg.urls);
  });

  it('is base64(HMAC-SHA1(secret, "expiry:name")) with the expiry ttl seconds ahead, for any time', () => {
    for (const now of [0, 1_234_567_890_123, Date.now()]) {
      const c = mintTurnCredentials({ ...cfg, ttlSeconds: 600 }, 'ra-x', now);
      const expiry = Math.floor(now / 1000) + 600;
      expect(c.username).toBe(`${expiry}:ra-x`);
      expect(c.credential).toBe(createHmac('sha1', 'north-pole-secret').update(`${expiry}:ra-x`).digest('base64'));
      expect(turnUsernameExpiry(c.username)).toBe(expiry * 1000);
    }
  });

  it('changes with the secret and the name, and refuses names that would break the format', () => {
    const a = mintTurnCredentials(cfg, 'ra-a', 0);
    expect(mintTurnCredentials({ ...cfg, secret: 'other' }, 'ra-a', 0).credential).not.toBe(a.credential);
    expect(mintTurnCredentials(cfg, 'ra-b', 0).credential).not.toBe(a.credential);
    expect(() => mintTurnCredentials(cfg, 'a:b')).toThrow(/letters, digits/);
    expect(() => mintTurnCredentials(cfg, '')).toThrow();
    expect(turnUsernameExpiry('alice')).toBeNull();
  });
});
