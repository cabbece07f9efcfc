/**
 * CodeStore in Redis, so that a code registered through one relay instance can be joined through
 * another. Keys: `<prefix>code:<id>` = the entry as JSON (SET NX, expiring with the code) and
 * `<prefix>code-joins:<id>` = the join counter (INCR, same expiry).
 *
 * The entry holds the pairing id the code stands for (the relay must find the pairing from the
 * code). Someone who can read this Redis can therefore join those pairings — exactly what typing
 * the code's id allows anyway, and each join is still one online password guess within the
 * code's budget. Keep Redis private (docs/relay.md).
 */
import { z } from 'zod';
import { RespClient, type RespClientOptions } from './resp-client';
import { CODE_ID_TRIES, randomCodeId, type CodeEntry, type CodeStore } from '../code-store';
import { CodeInfo, PairingId } from '../relay-protocol';

const StoredEntry = z.object({ p: PairingId, i: CodeInfo, e: z.number().int(), m: z.number().int().min(1) }).strict();

/** Options of `RedisCodeStore.connect`. */
export interface RedisCodeStoreOptions {
  redis: RespClientOptions;
  /** Key prefix, as for the pairing store (default "ra-relay:"). */
  prefix?: string;
}

/** Redis-backed CodeStore (one command connection). */
export class RedisCodeStore implements CodeStore {
  readonly kind = 'redis' as const;
  private readonly prefix: string;

  private constructor(
    private readonly cmd: RespClient,
    opts: RedisCodeStoreOptions,
  ) {
    this.prefix = opts.prefix ?? 'ra-relay:';
  }

  /** Connects (reconnecting forever, every second, after a loss). */
  static async connect(opts: RedisCodeStoreOptions): Promise<RedisCodeStore> {
    const cmd = await RespClient.connect({ reconnectAttempts: Number.MAX_SAFE_INTEGER, reconnectDelayMs: 1000, ...opts.redis });
    return new RedisCodeStore(cmd, opts);
  }

  async register(entry: Omit<CodeEntry, 'joins'>): Promise<string | null> {
    const ttl = entry.expiresAt - Date.now();
    if (ttl <= 0) return null;
    const value = JSON.stringify({ p: entry.pairingId, i: entry.info, e: entry.expiresAt, m: entry.maxJoins });
    for (let i = 0; i < CODE_ID_TRIES; i++) {
      const id = randomCodeId();
      if (!(await this.cmd.set(this.key(id), value, { nx: true, px: ttl }))) continue;
      // A counter left by an earlier code with this id must not count against the new one.
      await this.cmd.del(this.joinsKey(id));
      return id;
    }
    return null;
  }

  async lookup(code: string): Promise<CodeEntry | null> {
    const [raw, joins] = await Promise.all([this.cmd.get(this.key(code)), this.cmd.get(this.joinsKey(code))]);
    if (!raw) return null;
    let parsed;
    try {
      parsed = StoredEntry.safeParse(JSON.parse(raw.toString('utf8')));
    } catch {
      return null;
    }
    if (!parsed.success || parsed.data.e <= Date.now()) return null;
    const d = parsed.data;
    return { pairingId: d.p, info: d.i, expiresAt: d.e, maxJoins: d.m, joins: joins ? Number(joins.toString('latin1')) || 0 : 0 };
  }

  async countJoin(code: string): Promise<number | null> {
    const entry = await this.lookup(code);
    if (!entry) return null;
    const n = await this.cmd.command('INCR', this.joinsKey(code));
    if (typeof n !== 'number') throw new Error('INCR did not answer an integer');
    // The counter lives exactly as long as the code.
    if (n === 1) await this.cmd.command('PEXPIREAT', this.joinsKey(code), entry.expiresAt);
    return n;
  }

  async remove(code: string, pairingId: string): Promise<boolean> {
    const entry = await this.lookup(code);
    if (!entry || entry.pairingId !== pairingId) return false;
    await this.cmd.del(this.key(code), this.joinsKey(code));
    return true;
  }

  async close(): Promise<void> {
    await this.cmd.close();
  }

  private key(id: string): string {
    return `${this.prefix}code:${id}`;
  }

  private joinsKey(id: string): string {
    return `${this.prefix}code-joins:${id}`;
  }
}
