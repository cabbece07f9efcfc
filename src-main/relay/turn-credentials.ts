/**
 * Time-limited TURN credentials in the "TURN REST API" scheme that coturn implements
 * (`use-auth-secret` + `static-auth-secret`): username = `<expiry unix seconds>:<name>`,
 * password = base64(HMAC-SHA1(shared secret, username)). coturn recomputes the HMAC and refuses a
 * username whose expiry has passed, so it needs no user database and a leaked credential dies on
 * its own.
 *
 * The relay mints them because the secret must live somewhere only the operator controls: put in
 * every app's policy file, anyone with a managed computer could read it and mint credentials for
 * ever (an open TURN relay for anything). Minted here, they go only to clients that are in a live
 * pairing — that is, to someone who holds an invitation (docs/relay.md).
 */
import { createHmac } from 'node:crypto';
import type { RelayIceServer } from './relay-protocol';

/** The relay's TURN configuration (`--turn-url`, `--turn-secret`, `--turn-ttl`). */
export interface TurnConfig {
  /** coturn's `static-auth-secret`. */
  secret: string;
  /** turn:/turns: URLs of the TURN servers sharing that secret. */
  urls: string[];
  /** How long a credential stays valid, in seconds. */
  ttlSeconds: number;
}

/** One ICE server entry with a fresh credential for `name` (letters, digits, '-', '_'; no ':'). */
export function mintTurnCredentials(cfg: TurnConfig, name: string, now: number = Date.now()): RelayIceServer {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new Error('a TURN user name must be 1 to 64 letters, digits, "-" or "_"');
  const expiry = Math.floor(now / 1000) + cfg.ttlSeconds;
  const username = `${expiry}:${name}`;
  const credential = createHmac('sha1', cfg.secret).update(username, 'utf8').digest('base64');
  return { urls: [...cfg.urls], username, credential };
}

/** The expiry (ms since the epoch) a REST username carries, or null when it is not one. */
export function turnUsernameExpiry(username: string): number | null {
  const m = /^(\d{1,12}):/.exec(username);
  return m ? Number(m[1]) * 1000 : null;
}
