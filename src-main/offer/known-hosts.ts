/**
 * Host keys the helper has seen, pinned on first use per address typed (SSH's known_hosts, as
 * JSON in the helper's config folder). A computer that later answers under the same address with
 * another key is refused with a warning: it may be an impostor on the network, or the computer was
 * reinstalled — only its administrator can tell, and the helper removes the old key deliberately.
 */
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../src-shared/contract/errors';
import { fingerprintOf } from './fingerprint';
import { readIfExists, writePrivateFile } from './private-file';

/** File name in the helper's config folder. */
export const KNOWN_HOSTS_FILE = 'known-hosts.json';

const Entry = z
  .object({
    label: z.string().min(1).max(300),
    fingerprint: z.string().max(128),
    publicKey: z.string().max(64),
    computerName: z.string().max(256),
    firstSeen: z.string().max(64),
    lastSeen: z.string().max(64),
  })
  .strict();
type Entry = z.infer<typeof Entry>;
// An array, not an object keyed by label: a label such as "__proto__" must stay a plain label.
const FileSchema = z.object({ version: z.literal(1), hosts: z.array(Entry).max(10_000) }).strict();

/** What the pinned key says about the key a host just proved. */
export type HostKeyCheck = { status: 'new' } | { status: 'match' } | { status: 'changed'; pinnedFingerprint: string; pinnedComputerName: string };

/**
 * The label a host is pinned under: the address as typed, lower-cased, with `[host]:port` when
 * the port is not the default (as OpenSSH writes it), so two listeners on one machine stay apart.
 */
export function hostLabel(host: string, port: number, defaultPort: number): string {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  return port === defaultPort ? h : `[${h}]:${port}`;
}

/** The helper's pinned host keys. */
export class KnownHosts {
  readonly file: string;

  constructor(configDir: string) {
    this.file = path.join(configDir, KNOWN_HOSTS_FILE);
  }

  /** Compares a proven host key with the one pinned under `label`. */
  check(label: string, publicKey: Uint8Array): HostKeyCheck {
    const pinned = this.read().get(label);
    if (!pinned) return { status: 'new' };
    return pinned.fingerprint === fingerprintOf(publicKey) ? { status: 'match' } : { status: 'changed', pinnedFingerprint: pinned.fingerprint, pinnedComputerName: pinned.computerName };
  }

  /** Pins a new key, or refreshes `lastSeen` of a matching one. Never replaces a different pinned key. */
  remember(label: string, publicKey: Uint8Array, computerName: string, now = new Date()): void {
    const hosts = this.read();
    const fingerprint = fingerprintOf(publicKey);
    const old = hosts.get(label);
    if (old && old.fingerprint !== fingerprint) throw new AppError('conflict', `A different key is already pinned for ${label}; remove it first.`);
    const at = now.toISOString();
    hosts.set(label, { label, fingerprint, publicKey: Buffer.from(publicKey).toString('base64url'), computerName, firstSeen: old?.firstSeen ?? at, lastSeen: at });
    this.write(hosts);
  }

  /** Removes the key pinned under `label`; false if there was none. */
  forget(label: string): boolean {
    const hosts = this.read();
    if (!hosts.delete(label)) return false;
    this.write(hosts);
    return true;
  }

  /** Every pinned host. */
  list(): { label: string; fingerprint: string; computerName: string; firstSeen: string; lastSeen: string }[] {
    return [...this.read().values()].map(({ label, fingerprint, computerName, firstSeen, lastSeen }) => ({ label, fingerprint, computerName, firstSeen, lastSeen }));
  }

  private read(): Map<string, Entry> {
    let text: string | null;
    try {
      text = readIfExists(this.file);
    } catch (e) {
      throw new AppError('io', `The list of computers you connected to before (${this.file}) could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
    }
    if (text === null) return new Map();
    // A damaged list must not be read as "no host known yet": that would silently trust any key again.
    let parsed;
    try {
      parsed = FileSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) {
      throw new AppError('io', `The list of computers you connected to before (${this.file}) is damaged, so their identities cannot be checked. Repair or delete that file, then try again.`, { file: this.file });
    }
    return new Map(parsed.data.hosts.map((e) => [e.label, e]));
  }

  private write(hosts: Map<string, Entry>): void {
    try {
      writePrivateFile(this.file, JSON.stringify({ version: 1, hosts: [...hosts.values()] }, null, 2) + '\n');
    } catch (e) {
      throw new AppError('io', `The list of known computers could not be saved to ${this.file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
    }
  }
}
