import type { CommandRunner } from './command-runner';
import { conclude, unknownResult, type CheckedResult, type ConditionalRule, type FirewallAdapter, type FirewallProbeResult, type FirewallProtocol } from './firewall-probe';

/**
 * nftables: reads `nft -j list ruleset` and walks every base chain on the `input` hook (families
 * ip/ip6/inet) for a NEW connection from another host to our port, as a packet would: first
 * matching verdict wins, `jump`/`goto` followed, else the chain's policy. A connection must get
 * through every input chain, so one dropping chain blocks.
 *
 * Understood: tcp/udp/th dport (==, !=, in, ranges, anonymous and named sets), meta l4proto,
 * ip protocol / ip6 nexthdr, meta nfproto, ct state (the packet is `new`), iif/iifname (`lo` never
 * matches a remote packet), verdict maps on ct state or dport, accept/drop/reject/jump/goto/return.
 * Not evaluated (they make a rule "conditional"): source and destination addresses, other
 * interfaces, limits, marks, fib, xt (iptables-nft compat) expressions and anything else. Hooks
 * other than input (prerouting drops, netdev ingress, bridge) are ignored; IPv4 decides the
 * status and IPv6 is mentioned when it differs.
 */
export class NftablesProbe implements FirewallAdapter {
  constructor(private readonly run: CommandRunner) {}

  async probe(port: number, protocol: FirewallProtocol = 'tcp'): Promise<FirewallProbeResult> {
    const { presence: _p, ...r } = await this.check(port, protocol);
    return r;
  }

  /** Like probe, plus whether nft is installed, readable, and has input chains. */
  async check(port: number, protocol: FirewallProtocol = 'tcp'): Promise<CheckedResult> {
    const r = await this.run('nft', ['-j', 'list', 'ruleset']);
    if (r.code === 127) return { presence: 'absent', ...unknownResult('nftables', 'nft is not installed.') };
    if (r.code !== 0) {
      const why = /permission|not permitted/i.test(r.stderr) ? 'reading the rules needs administrator rights' : r.stderr.trim().split('\n')[0] || `exit ${r.code}`;
      return { presence: 'unreadable', ...unknownResult('nftables', `The nftables rules could not be read (${why}). Check with: sudo nft list ruleset`) };
    }
    let doc: unknown;
    try {
      doc = JSON.parse(r.stdout || '{"nftables":[]}');
    } catch {
      return { presence: 'unreadable', ...unknownResult('nftables', 'nft printed something that is not JSON.') };
    }
    const result = evaluateNftRuleset(doc, port, protocol);
    return { presence: result.inputChains ? 'active' : 'inactive', ...result.result };
  }
}

type Verdict = 'accept' | 'drop';
type Tri = true | false | 'maybe';
interface Chain {
  family: string;
  table: string;
  name: string;
  hook?: string;
  policy?: string;
  prio?: number;
  rules: unknown[][];
}
interface Ctx {
  port: number;
  proto: FirewallProtocol;
  ipv: 4 | 6;
  chains: Map<string, Chain>;
  sets: Map<string, unknown[]>;
}

/** Evaluates parsed `nft -j list ruleset` output. `inputChains` is how many input base chains exist. */
export function evaluateNftRuleset(doc: unknown, port: number, proto: FirewallProtocol): { result: FirewallProbeResult; inputChains: number } {
  const items = isObj(doc) && Array.isArray(doc.nftables) ? doc.nftables : [];
  const chains = new Map<string, Chain>();
  const sets = new Map<string, unknown[]>();
  for (const item of items) {
    if (!isObj(item)) continue;
    if (isObj(item.chain)) {
      const c = item.chain;
      chains.set(key(c.family, c.table, c.name), { family: String(c.family), table: String(c.table), name: String(c.name), hook: typeof c.hook === 'string' ? c.hook : undefined, policy: typeof c.policy === 'string' ? c.policy : undefined, prio: typeof c.prio === 'number' ? c.prio : 0, rules: [] });
    } else if (isObj(item.set)) {
      const s = item.set;
      sets.set(key(s.family, s.table, s.name), Array.isArray(s.elem) ? s.elem : []);
    }
  }
  for (const item of items) {
    if (!isObj(item) || !isObj(item.rule)) continue;
    const r = item.rule;
    chains.get(key(r.family, r.table, r.chain))?.rules.push(Array.isArray(r.expr) ? r.expr : []);
  }
  const how = (c: Chain) => `sudo nft insert rule ${c.family} ${c.table} ${c.name} ${proto} dport ${port} accept`;
  const base = (ipv: 4 | 6) =>
    [...chains.values()].filter((c) => c.hook === 'input' && (c.family === 'inet' || c.family === (ipv === 4 ? 'ip' : 'ip6'))).sort((a, b) => (a.prio ?? 0) - (b.prio ?? 0));
  const inputChains = new Set([...base(4), ...base(6)]).size;
  if (!inputChains) return { inputChains, result: { status: 'allowed', firewall: 'nftables', detail: 'nftables has no input filter chains, so nothing filters incoming connections.', howToAllow: '' } };

  const run = (ipv: 4 | 6) => {
    const ctx: Ctx = { port, proto, ipv, chains, sets };
    const conditionals: ConditionalRule[] = [];
    for (const chain of base(ipv)) {
      const v = walk(ctx, chain, 0, conditionals) ?? (chain.policy === 'drop' ? 'drop' : 'accept');
      if (v === 'drop') return { blockedBy: chain, conditionals, viaPolicy: walkEndsInPolicy(ctx, chain) };
    }
    return { blockedBy: null, conditionals, viaPolicy: false };
  };
  const v4 = run(4);
  const v6 = run(6);
  const where = (c: Chain) => `chain ${c.family} ${c.table} ${c.name}`;
  const v6note = (v6.blockedBy === null) === (v4.blockedBy === null) ? '' : v6.blockedBy ? ` Over IPv6 it is blocked by ${where(v6.blockedBy)}.` : ' Over IPv6 it is allowed.';
  if (v4.blockedBy) {
    const why = v4.viaPolicy ? `nftables ${where(v4.blockedBy)} drops incoming connections by policy and no rule accepts ${proto} port ${port}.` : `nftables ${where(v4.blockedBy)} drops or rejects incoming ${proto} port ${port}.`;
    return { inputChains, result: conclude('nftables', 'block', why + v6note, v4.conditionals, how(v4.blockedBy)) };
  }
  const anyChain = base(4)[0] ?? base(6)[0]!;
  return { inputChains, result: conclude('nftables', 'allow', `nftables input chains accept incoming ${proto} port ${port}.${v6note}`, v4.conditionals, how(v6.blockedBy ?? anyChain)) };
}

/** Walks a chain; returns a verdict, or null when the packet falls through (or `return`s). */
function walk(ctx: Ctx, chain: Chain, depth: number, conditionals: ConditionalRule[]): Verdict | null {
  if (depth > 16) return null;
  for (const rule of chain.rules) {
    let m: Tri = true;
    let portSpecific = false;
    for (const e of rule) {
      if (!isObj(e)) continue;
      if (isObj(e.match)) {
        const r = evalMatch(ctx, chain, e.match);
        if (r.portSpecific) portSpecific = true;
        if (r.value === false) break; // the rule does not apply; its verdict is never reached
        if (r.value === 'maybe') m = 'maybe';
        continue;
      }
      const verdict = verdictOf(ctx, chain, e);
      if (verdict === undefined) {
        if ('limit' in e || 'xt' in e || 'queue' in e) m = 'maybe';
        continue; // counter, log, meta set … have no bearing on the verdict.
      }
      if (verdict.kind === 'none') break;
      const what = `${chain.family} ${chain.table} ${chain.name} rule ${describeRule(rule)}`;
      if (verdict.kind === 'final') {
        if (m === true) return verdict.verdict;
        conditionals.push({ verdict: verdict.verdict === 'accept' ? 'allow' : 'block', portSpecific, what });
        break;
      }
      if (verdict.kind === 'return') {
        if (m === true) return null;
        break;
      }
      const target = ctx.chains.get(key(chain.family, chain.table, verdict.target));
      if (!target) break;
      const sub: ConditionalRule[] = [];
      const v = walk(ctx, target, depth + 1, sub);
      if (m === true) {
        conditionals.push(...sub);
        if (v) return v;
        if (verdict.kind === 'goto') return null;
      } else {
        conditionals.push(...sub.map((c) => ({ ...c, portSpecific: c.portSpecific || portSpecific })));
        if (v) conditionals.push({ verdict: v === 'accept' ? 'allow' : 'block', portSpecific, what });
      }
      break;
    }
  }
  return null;
}

/** True when the chain's own rules do not decide (so its policy did). */
function walkEndsInPolicy(ctx: Ctx, chain: Chain): boolean {
  return walk(ctx, chain, 0, []) === null;
}

type VerdictOf = { kind: 'final'; verdict: Verdict } | { kind: 'jump' | 'goto'; target: string } | { kind: 'return' } | { kind: 'none' };

function verdictOf(ctx: Ctx, chain: Chain, e: Record<string, unknown>): VerdictOf | undefined {
  if ('accept' in e) return { kind: 'final', verdict: 'accept' };
  if ('drop' in e || 'reject' in e) return { kind: 'final', verdict: 'drop' };
  if ('return' in e) return { kind: 'return' };
  if (isObj(e.jump) && typeof e.jump.target === 'string') return { kind: 'jump', target: e.jump.target };
  if (isObj(e.goto) && typeof e.goto.target === 'string') return { kind: 'goto', target: e.goto.target };
  if (isObj(e.vmap)) {
    // `ct state vmap { established : accept, invalid : drop }` or `tcp dport vmap { 22 : accept }`.
    const subject = subjectOf(ctx, e.vmap.key);
    const data = isObj(e.vmap.data) && Array.isArray(e.vmap.data.set) ? e.vmap.data.set : [];
    // An interface map (how firewalld dispatches zones) cannot be resolved for "some remote host".
    if (subject === null || subject === false || subject.kind === 'iface') return { kind: 'none' };
    for (const pair of data) {
      if (!Array.isArray(pair) || pair.length !== 2) continue;
      if (valueMatches(ctx, chain, subject, pair[0]) !== true) continue;
      const v = isObj(pair[1]) ? verdictOf(ctx, chain, pair[1]) : undefined;
      return v ?? { kind: 'none' };
    }
    return { kind: 'none' };
  }
  return undefined;
}

type Subject = { kind: 'port'; value: number } | { kind: 'state' | 'l4' | 'nfproto'; value: string } | { kind: 'iface' };

/** What an expression's left side reads from our packet; null when we do not model it. */
function subjectOf(ctx: Ctx, left: unknown): Subject | null | false {
  if (!isObj(left)) return null;
  if (isObj(left.payload)) {
    const { protocol, field } = left.payload;
    // A header match implies that header: `ip saddr …` never matches an IPv6 packet, `udp …` never a TCP one.
    if ((protocol === 'ip' && ctx.ipv === 6) || (protocol === 'ip6' && ctx.ipv === 4)) return false;
    if ((protocol === 'tcp' || protocol === 'udp') && protocol !== ctx.proto) return false;
    if (protocol === 'icmp' || protocol === 'icmpv6' || protocol === 'sctp' || protocol === 'dccp') return false;
    if (field === 'dport' && (protocol === 'tcp' || protocol === 'udp' || protocol === 'th')) return { kind: 'port', value: ctx.port };
    if (protocol === 'ip' && field === 'protocol') return { kind: 'l4', value: ctx.proto };
    if (protocol === 'ip6' && field === 'nexthdr') return { kind: 'l4', value: ctx.proto };
    return null;
  }
  if (isObj(left.meta)) {
    const k = left.meta.key;
    if (k === 'l4proto') return { kind: 'l4', value: ctx.proto };
    if (k === 'nfproto') return { kind: 'nfproto', value: ctx.ipv === 4 ? 'ipv4' : 'ipv6' };
    if (k === 'iifname' || k === 'iif') return { kind: 'iface' };
    return null;
  }
  if (isObj(left.ct) && left.ct.key === 'state') return { kind: 'state', value: 'new' };
  return null;
}

function evalMatch(ctx: Ctx, chain: Chain, match: Record<string, unknown>): { value: Tri; portSpecific: boolean } {
  const subject = subjectOf(ctx, match.left);
  if (subject === false) return { value: false, portSpecific: false };
  if (subject === null) return { value: 'maybe', portSpecific: false };
  const op = typeof match.op === 'string' ? match.op : '==';
  const portSpecific = subject.kind === 'port';
  if (subject.kind === 'iface') {
    // A remote packet never arrives on lo; on any other named interface it may or may not.
    const names = flatten(ctx, chain, match.right).map(String);
    const lo = names.length > 0 && names.every((n) => n === 'lo' || n === '1');
    if (lo) return { value: op === '!=', portSpecific: false };
    return { value: 'maybe', portSpecific: false };
  }
  if (subject.kind === 'port' && ['<', '>', '<=', '>='].includes(op) && typeof match.right === 'number') {
    const r = match.right;
    const v = op === '<' ? ctx.port < r : op === '>' ? ctx.port > r : op === '<=' ? ctx.port <= r : ctx.port >= r;
    return { value: v, portSpecific };
  }
  const hit = valueMatches(ctx, chain, subject, match.right);
  if (hit === 'maybe') return { value: 'maybe', portSpecific };
  if (op === '!=') return { value: !hit, portSpecific };
  if (op === '==' || op === 'in') return { value: hit, portSpecific };
  return { value: 'maybe', portSpecific };
}

/** Does the right-hand side (value, set, range, named set, ct-state list) contain our subject? */
function valueMatches(ctx: Ctx, chain: Chain, subject: Subject, right: unknown): Tri {
  if (subject.kind === 'iface') return 'maybe';
  const values = flatten(ctx, chain, right);
  if (values.length === 0) return 'maybe';
  let maybe = false;
  for (const v of values) {
    if (isObj(v) && Array.isArray(v.range) && subject.kind === 'port') {
      const [lo, hi] = v.range;
      if (typeof lo === 'number' && typeof hi === 'number') {
        if (subject.value >= lo && subject.value <= hi) return true;
      } else maybe = true;
      continue;
    }
    if (subject.kind === 'port') {
      if (typeof v === 'number' && v === subject.value) return true;
      if (typeof v === 'string' && !/^\d+$/.test(v)) maybe = true; // a service name like "ssh"
      if (typeof v === 'string' && Number(v) === subject.value) return true;
      continue;
    }
    if (typeof v === 'string' && v === subject.value) return true;
    if (typeof v !== 'string') maybe = true;
  }
  return maybe ? 'maybe' : false;
}

/** The elements of a right-hand side: a scalar, an array, `{set: […]}`, `{range}`, `@named` set, `{elem: {val}}`. */
function flatten(ctx: Ctx, chain: Chain, right: unknown, depth = 0): unknown[] {
  if (depth > 4) return [];
  if (Array.isArray(right)) return right.flatMap((r) => flatten(ctx, chain, r, depth + 1));
  if (typeof right === 'string' && right.startsWith('@')) {
    const named = ctx.sets.get(key(chain.family, chain.table, right.slice(1)));
    return named ? flatten(ctx, chain, named, depth + 1) : [];
  }
  if (isObj(right)) {
    if (Array.isArray(right.set)) return flatten(ctx, chain, right.set, depth + 1);
    if (isObj(right.elem)) return flatten(ctx, chain, right.elem.val, depth + 1);
    if (Array.isArray(right.range)) return [right];
    return [right];
  }
  return right === undefined ? [] : [right];
}

/** A rule in roughly nft's own syntax, for messages: `ip saddr 10.0.0.0/8 tcp dport 48721 accept`. */
function describeRule(rule: unknown[]): string {
  const text = rule.map(exprText).filter(Boolean).join(' ');
  return `"${text.length > 160 ? `${text.slice(0, 159)}\u2026` : text}"`;
}

function exprText(e: unknown): string {
  if (!isObj(e)) return '?';
  const [k, v] = Object.entries(e)[0] ?? ['?', null];
  if (k === 'match' && isObj(v)) {
    const op = v.op === '==' || v.op === 'in' || v.op === undefined ? '' : `${String(v.op)} `;
    return `${leftText(v.left)} ${op}${rightText(v.right)}`;
  }
  if ((k === 'jump' || k === 'goto') && isObj(v)) return `${k} ${String(v.target)}`;
  if (k === 'counter') return '';
  return k;
}

function leftText(l: unknown): string {
  if (!isObj(l)) return rightText(l);
  if (isObj(l.payload)) return `${String(l.payload.protocol)} ${String(l.payload.field)}`;
  if (isObj(l.meta)) return `meta ${String(l.meta.key)}`;
  if (isObj(l.ct)) return `ct ${String(l.ct.key)}`;
  return Object.keys(l)[0] ?? '?';
}

function rightText(r: unknown): string {
  if (Array.isArray(r)) return `{ ${r.map(rightText).join(', ')} }`;
  if (isObj(r)) {
    if (Array.isArray(r.set)) return rightText(r.set);
    if (Array.isArray(r.range)) return `${String(r.range[0])}-${String(r.range[1])}`;
    if (isObj(r.prefix)) return `${String(r.prefix.addr)}/${String(r.prefix.len)}`;
    return Object.keys(r)[0] ?? '?';
  }
  return String(r);
}

function key(family: unknown, table: unknown, name: unknown): string {
  return `${String(family)}\u0000${String(table)}\u0000${String(name)}`;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
