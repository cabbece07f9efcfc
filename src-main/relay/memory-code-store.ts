/** The code store of a single relay instance: a map with lazy expiry and a size cap. */
import { CODE_ID_TRIES, randomCodeId, type CodeEntry, type CodeStore } from './code-store';

/** In-memory CodeStore (the default). */
export class MemoryCodeStore implements CodeStore {
  readonly kind = 'memory' as const;
  private readonly codes = new Map<string, CodeEntry>();

  constructor(
    /** Live codes at most: the id space (≈ 194 000) must stay sparse for random ids to stay unguessable in practice. */
    private readonly maxCodes = 20_000,
    private readonly now: () => number = Date.now,
  ) {}

  async register(entry: Omit<CodeEntry, 'joins'>): Promise<string | null> {
    if (this.codes.size >= this.maxCodes) this.sweep();
    if (this.codes.size >= this.maxCodes) return null;
    for (let i = 0; i < CODE_ID_TRIES; i++) {
      const id = randomCodeId();
      const old = this.codes.get(id);
      if (old && old.expiresAt > this.now()) continue;
      this.codes.set(id, { ...entry, info: { ...entry.info }, joins: 0 });
      return id;
    }
    return null;
  }

  async lookup(code: string): Promise<CodeEntry | null> {
    const e = this.live(code);
    return e ? { ...e, info: { ...e.info } } : null;
  }

  async countJoin(code: string): Promise<number | null> {
    const e = this.live(code);
    if (!e) return null;
    e.joins += 1;
    return e.joins;
  }

  async remove(code: string, pairingId: string): Promise<boolean> {
    const e = this.codes.get(code);
    if (!e || e.pairingId !== pairingId) return false;
    this.codes.delete(code);
    return true;
  }

  async close(): Promise<void> {
    this.codes.clear();
  }

  /** Codes currently stored (live or not yet swept). */
  get size(): number {
    return this.codes.size;
  }

  /** Drops expired codes. */
  sweep(): void {
    const t = this.now();
    for (const [id, e] of this.codes) if (e.expiresAt <= t) this.codes.delete(id);
  }

  private live(code: string): CodeEntry | null {
    const e = this.codes.get(code);
    if (!e) return null;
    if (e.expiresAt <= this.now()) {
      this.codes.delete(code);
      return null;
    }
    return e;
  }
}
