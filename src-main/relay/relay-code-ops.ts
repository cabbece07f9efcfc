/**
 * The relay's side of Easy Connect: registering and removing codes (one request per WebSocket,
 * answered with a notice and a normal close), and resolving a code join to the pairing it stands
 * for, within the per-address lookup limits and the code's join budget.
 */
import type { CodeEntry, CodeStore } from './code-store';
import type { CodeLookupLimiter } from './code-lookup-limiter';
import type { IpLimiter } from './ip-limiter';
import type { RelayLimits } from './relay-limits';
import { RELAY_CLOSE, type RelayHello, type RelayNotice } from './relay-protocol';
import { pairingTag, type RelayLog } from './relay-log';

/** What the code operations need from the relay instance. */
export interface CodeOpsContext {
  codes: CodeStore;
  codeLimiter: CodeLookupLimiter;
  ipLimiter: IpLimiter;
  limits: RelayLimits;
  log: RelayLog;
}

/** A refusal: the close code and reason the client gets. */
export interface Refusal {
  close: number;
  reason: string;
}

type CodeRequest = Extract<RelayHello, { op: 'code-register' | 'code-remove' }>;

/** Registers or removes a code; the notice to answer with, or a refusal. */
export async function handleCodeRequest(hello: CodeRequest, ip: string, ctx: CodeOpsContext): Promise<{ notice: RelayNotice } | Refusal> {
  const tag = pairingTag(hello.pairing);
  if (hello.op === 'code-remove') {
    const removed = await ctx.codes.remove(hello.code, hello.pairing);
    ctx.log('info', 'code.removed', { ip, pairing: tag, removed });
    return { notice: { t: 'removed' } };
  }
  // A registration is a new pairing as far as the per-address churn limit goes.
  if (!ctx.ipLimiter.takePairing(ip)) {
    ctx.log('warn', 'code.refused', { ip, pairing: tag, why: 'rate-limited' });
    return { close: RELAY_CLOSE.rateLimited, reason: `too many new pairings from your address (limit ${ctx.limits.maxNewPairingsPerIpPerMinute} per minute)` };
  }
  const now = Date.now();
  if (hello.expiresAt <= now) return { close: RELAY_CLOSE.badRequest, reason: 'the invitation has already expired' };
  const expiresAt = Math.min(hello.expiresAt, now + ctx.limits.maxCodeLifetimeMs);
  const maxJoins = Math.min(hello.maxJoins, ctx.limits.maxCodeJoins);
  const code = await ctx.codes.register({ pairingId: hello.pairing, info: hello.info, expiresAt, maxJoins });
  if (code === null) {
    ctx.log('warn', 'code.refused', { ip, pairing: tag, why: 'full' });
    return { close: RELAY_CLOSE.unavailable, reason: 'the relay has no free code right now; try again later or use an invitation file' };
  }
  // The code id is not logged: with it, anyone reading the logs could spend the code's joins.
  ctx.log('info', 'code.registered', { ip, pairing: tag, expiresAt, maxJoins });
  return { notice: { t: 'code', code, expiresAt } };
}

/** Finds the live entry for a code join, counting the lookup against the address; or a refusal. */
export async function resolveCodeJoin(code: string, ip: string, ctx: CodeOpsContext): Promise<{ entry: CodeEntry } | Refusal> {
  const limited = ctx.codeLimiter.take(ip);
  if (limited) {
    ctx.log('warn', 'code.refused', { ip, why: 'rate-limited' });
    return { close: RELAY_CLOSE.rateLimited, reason: limited };
  }
  const entry = await ctx.codes.lookup(code);
  if (!entry) {
    ctx.codeLimiter.miss(ip);
    ctx.log('info', 'code.unknown', { ip });
    return { close: RELAY_CLOSE.unknownCode, reason: 'no invitation has this code (check it; it may have expired)' };
  }
  if (entry.joins >= entry.maxJoins) return burnt(ip, entry, ctx);
  return { entry };
}

/**
 * Counts a join that paired. Counting after pairing (not at lookup) means a helper who found
 * nobody waiting has spent nothing; the pairing store admits one joiner at a time, so joins
 * cannot overtake the budget by more than a pairing already under way, which this catches.
 */
export async function countCodeJoin(code: string, entry: CodeEntry, ip: string, ctx: CodeOpsContext): Promise<{ joinsLeft: number } | Refusal> {
  const joins = await ctx.codes.countJoin(code);
  if (joins === null) return { close: RELAY_CLOSE.unknownCode, reason: 'the code expired or was removed a moment ago' };
  if (joins > entry.maxJoins) return burnt(ip, entry, ctx);
  ctx.log('info', 'code.joined', { ip, pairing: pairingTag(entry.pairingId), joins, maxJoins: entry.maxJoins });
  return { joinsLeft: entry.maxJoins - joins };
}

function burnt(ip: string, entry: CodeEntry, ctx: CodeOpsContext): Refusal {
  ctx.log('warn', 'code.burnt', { ip, pairing: pairingTag(entry.pairingId), maxJoins: entry.maxJoins });
  return { close: RELAY_CLOSE.codeBurnt, reason: 'this code was tried too many times and no longer works' };
}
