/**
 * Helpers for abuse-case tests that run main as it really runs: a real app core (policy file,
 * invitation listener on loopback TCP, CPace handshake, secure link, session, real input gate) with
 * a recording injector at the system edge, and a "raw" helper that completes the real handshake and
 * then sends whatever a malicious helper would, bypassing the honest HelperSession.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, vi } from 'vitest';
import { callTyped } from '../../src-shared/rpc/rpc-server';
import type { MethodName, RequestOf, ResponseOf } from '../../src-shared/contract/index';
import { createAppCore, type AppCore } from '../../src-main/app/app-core';
import { CHANNEL_SCHEMAS } from '../../src-main/app/channel-schemas';
import type { ConsentAnswer, ConsentPrompt, ConsentQuestion } from '../../src-main/consent/consent-port';
import { RecordingInjector } from '../../src-main/input/recording-injector';
import { openTicket } from '../../src-main/invitation/ticket-codec';
import { parseTicketFile } from '../../src-main/invitation/ticket-parse';
import { connectToInvitation, type ConnectResult } from '../../src-main/link/invitation-connector';
import { silentLog } from '../../src-main/link/link-options';
import { createMemoryLogger } from '../../src-main/platform/app-logger';
import { resolveProfile } from '../../src-main/profile/profile-paths';

/** A scrypt cost that keeps tests fast; the production parameters have their own tests. */
export const CHEAP_KDF = { N: 1024, r: 8, p: 1 };
export const PASSWORD = 'correct horse battery';

/** The person at the requester's screen: records every question and answers when told (or at once with `auto`). */
export class ScriptedPrompt implements ConsentPrompt {
  readonly asked: ConsentQuestion[] = [];
  private readonly pending: ((a: ConsentAnswer) => void)[] = [];
  constructor(private readonly auto: ConsentAnswer['answer'] | null = null) {}
  ask(_id: string, q: ConsentQuestion): Promise<ConsentAnswer> {
    this.asked.push(q);
    if (this.auto) return Promise.resolve({ answer: this.auto });
    return new Promise((resolve) => this.pending.push(resolve));
  }
  cancel(): void {}
  /** Answers the oldest open question, waiting for one to be asked. */
  async answer(answer: ConsentAnswer['answer']): Promise<void> {
    await vi.waitFor(() => expect(this.pending.length).toBeGreaterThan(0));
    this.pending.shift()!({ answer });
  }
}

export interface CoreHandle {
  core: AppCore;
  prompt: ScriptedPrompt;
  /** The recording injector, or null when the core selects the real one (`injector: 'real'`). */
  injector: RecordingInjector;
  /** The profile folder. */
  root: string;
  /** Every audit event written so far, across this profile's log files. */
  auditEvents(): ({ type: string } & Record<string, unknown>)[];
  call<M extends MethodName>(m: M, req: RequestOf<M>): Promise<ResponseOf<M>>;
  /** The session state main reports (null when there is none). */
  state(): Promise<string | null>;
}

const started: AppCore[] = [];

/** Starts one app core in a fresh profile, with an optional administrator policy. */
export async function startCore(
  opts: { policy?: Record<string, unknown>; prompt?: ScriptedPrompt; env?: NodeJS.ProcessEnv; display?: string; injector?: 'recording' | 'real' } = {},
): Promise<CoreHandle> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-core-'));
  const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env), REMOTE_ASSIST_POLICY_FILE: path.join(root, 'policy.json'), REMOTE_ASSIST_ANSWER_FILE: path.join(root, 'none.xml') };
  if (opts.policy) fs.writeFileSync(env.REMOTE_ASSIST_POLICY_FILE!, JSON.stringify({ version: 1, settings: opts.policy }));
  const prompt = opts.prompt ?? new ScriptedPrompt();
  const injector = new RecordingInjector();
  const core = await createAppCore({
    host: 'browser-host',
    role: 'any',
    profile: resolveProfile(root),
    logger: createMemoryLogger(),
    env,
    ...(opts.display ? { display: opts.display } : {}),
    consentPrompt: () => prompt,
    testing: { listenHost: '127.0.0.1', kdf: CHEAP_KDF, ...(opts.injector === 'real' ? {} : { injector }), firewall: null },
  });
  started.push(core);
  const call = <M extends MethodName>(m: M, req: RequestOf<M>): Promise<ResponseOf<M>> => callTyped(core.server, m, req, { connectionId: 't', transport: 'memory' });
  const logsDir = resolveProfile(root).logsDir;
  const auditEvents = () =>
    (fs.existsSync(logsDir) ? fs.readdirSync(logsDir) : [])
      .flatMap((f) => fs.readFileSync(path.join(logsDir, f), 'utf8').trim().split('\n').filter(Boolean))
      .map((l) => (JSON.parse(l) as { event: { type: string } & Record<string, unknown> }).event);
  return { core, prompt, injector, root, auditEvents, call, state: async () => (await call('session.get', {})).session?.state ?? null };
}

/** Disposes every core started by this file's tests (call from afterEach). */
export async function disposeCores(): Promise<void> {
  for (const c of started.splice(0)) await c.dispose();
}

/** Creates an invitation on `requester` and returns what a helper holding the file and password knows. */
export async function inviteOn(requester: CoreHandle): Promise<{ fileText: string; connect: (password?: string, name?: string) => Promise<ConnectResult> }> {
  const { fileText, invitation } = await requester.call('invitation.create', { password: PASSWORD });
  const { candidates } = await openTicket(parseTicketFile(fileText), PASSWORD);
  const connect = (password = PASSWORD, name = 'Mallory') =>
    connectToInvitation({ candidates, invitationId: invitation.invitationId, password, helperName: name, channelSchemas: CHANNEL_SCHEMAS, logger: silentLog });
  return { fileText, connect };
}
