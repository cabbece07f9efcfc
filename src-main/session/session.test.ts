import { describe, expect, it, vi } from 'vitest';
import { createMemoryLinkPair } from '../link/memory-link';
import { ConsentService } from '../consent/consent-service';
import type { ConsentAnswer, ConsentPrompt, ConsentQuestion } from '../consent/consent-port';
import { createMemoryLogger } from '../platform/app-logger';
import type { SessionView } from '../../src-shared/contract/index';
import { RequesterSession } from './requester-session';
import { HelperSession } from './helper-session';
import type { AuditSink, SessionInputGate } from './session-ports';

type SessionAuditEvent = Parameters<AuditSink>[0];

/** A consent prompt the test answers by hand; records what was shown and how many at once. */
class ScriptedPrompt implements ConsentPrompt {
  shown: { id: string; q: ConsentQuestion; resolve: (a: ConsentAnswer) => void }[] = [];
  open = 0;
  maxOpen = 0;
  ask(id: string, q: ConsentQuestion): Promise<ConsentAnswer> {
    this.open++;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    return new Promise((resolve) =>
      this.shown.push({
        id,
        q,
        resolve: (a) => {
          this.open--;
          resolve(a);
        },
      }),
    );
  }
  cancel(id: string) {
    this.shown.find((s) => s.id === id)?.resolve({ answer: 'cancelled' });
  }
  async answer(a: ConsentAnswer['answer']) {
    await vi.waitFor(() => expect(this.shown.length).toBeGreaterThan(0));
    const s = this.shown.shift()!;
    s.resolve({ answer: a });
  }
}

class RecordingGate implements SessionInputGate {
  control = false;
  paused = false;
  handled: unknown[] = [];
  releases = 0;
  setControl(g: boolean) {
    this.control = g;
  }
  setPaused(p: boolean) {
    this.paused = p;
  }
  handle(raw: unknown) {
    // Mirrors the real gate's rule; the real gate has its own tests.
    if (this.control && !this.paused) this.handled.push(raw);
  }
  releaseAll() {
    this.releases++;
  }
}

function setup(opts: { controlAllowed?: boolean } = {}) {
  const [helperLink, requesterLink] = createMemoryLinkPair(['Helen Helper', 'Rita Requester']);
  const prompt = new ScriptedPrompt();
  const gate = new RecordingGate();
  const echoes: string[] = [];
  const rAudit: SessionAuditEvent[] = [];
  const hAudit: SessionAuditEvent[] = [];
  let rView: SessionView | null = null;
  let hView: SessionView | null = null;
  let allowed = opts.controlAllowed ?? true;
  const requester = new RequesterSession({
    link: requesterLink,
    kind: 'invitation',
    how: 'They used your invitation from 127.0.0.1.',
    consent: new ConsentService(prompt),
    gate,
    echo: { isEcho: (k) => (echoes.includes(k) ? (echoes.splice(echoes.indexOf(k), 1), true) : false) },
    controlPermission: () => (allowed ? { allowed: true, reason: null } : { allowed: false, reason: 'Your administrator allows helpers to view only.' }),
    customMessages: () => ({ view: null, control: null }),
    consentTimeoutMs: () => 60_000,
    iceServers: [],
    audit: (e) => rAudit.push(e),
    logger: createMemoryLogger(),
    onChange: (v) => (rView = v),
  });
  const helper = new HelperSession({ link: helperLink, kind: 'invitation', iceServers: [], audit: (e) => hAudit.push(e), logger: createMemoryLogger(), onChange: (v) => (hView = v) });
  return {
    requester,
    helper,
    prompt,
    gate,
    echoes,
    rAudit,
    hAudit,
    helperLink,
    requesterLink,
    setAllowed: (a: boolean) => (allowed = a),
    r: () => rView!,
    h: () => hView!,
  };
}

async function toViewing(s: ReturnType<typeof setup>) {
  void s.requester.start();
  await s.prompt.answer('yes');
  await vi.waitFor(() => expect(s.h().state).toBe('viewing'));
}

async function toControlling(s: ReturnType<typeof setup>) {
  await toViewing(s);
  s.helper.requestControl();
  await s.prompt.answer('yes');
  await vi.waitFor(() => expect(s.h().state).toBe('controlling'));
}

describe('requester and helper sessions over a link', () => {
  it('shares nothing before consent, then both sides show viewing', async () => {
    const s = setup();
    void s.requester.start();
    await vi.waitFor(() => expect(s.prompt.shown).toHaveLength(1));
    expect(s.r().state).toBe('awaiting-consent');
    const q = s.prompt.shown[0]!.q;
    expect(q.title).toBe('Helen Helper wants to connect to your computer');
    expect(q.message).toBe('Allow them to see your screen?');
    expect(q.details.join(' ')).toMatch(/127\.0\.0\.1/);
    expect(q.details.join(' ')).toMatch(/never call you out of the blue/);
    await s.prompt.answer('yes');
    await vi.waitFor(() => expect(s.h().state).toBe('viewing'));
    expect(s.r().state).toBe('viewing');
    expect(s.rAudit.map((e) => e.type)).toEqual(['session.started', 'consent.asked', 'consent.granted']);
  });

  it.each([
    ['no', /declined to share their screen/],
    ['timeout', /did not answer in time/],
  ] as const)('a %s at the view prompt ends the session for both sides', async (answer, helperMessage) => {
    const s = setup();
    void s.requester.start();
    await s.prompt.answer(answer);
    await vi.waitFor(() => expect(s.h().state).toBe('ended'));
    expect(s.h().endedReason).toMatch(helperMessage);
    expect(s.r().state).toBe('ended');
    expect(s.rAudit.map((e) => e.type)).toContain(answer === 'no' ? 'consent.declined' : 'consent.timedOut');
  });

  it('grants control only after the second consent, and input reaches the gate only then', async () => {
    const s = setup();
    await toViewing(s);
    s.helper.input([{ type: 'pointer.move', x: 0.5, y: 0.5 }]);
    s.helper.requestControl();
    await vi.waitFor(() => expect(s.prompt.shown).toHaveLength(1));
    expect(s.prompt.shown[0]!.q.message).toMatch(/Allow Helen Helper to share control/);
    expect(s.gate.control).toBe(false);
    await s.prompt.answer('yes');
    await vi.waitFor(() => expect(s.h().state).toBe('controlling'));
    expect(s.gate.control).toBe(true);
    s.helper.input([{ type: 'pointer.move', x: 0.25, y: 0.75 }]);
    await vi.waitFor(() => expect(s.gate.handled).toEqual([{ type: 'pointer.move', x: 0.25, y: 0.75 }]));
  });

  it('a declined control request leaves viewing, tells the helper, and blocks prompt spam', async () => {
    const s = setup();
    await toViewing(s);
    s.helper.requestControl();
    await s.prompt.answer('no');
    await vi.waitFor(() => expect(s.h().notice).toMatch(/declined to share control/));
    expect(s.h().state).toBe('viewing');
    s.helper.requestControl();
    await vi.waitFor(() => expect(s.h().notice).toMatch(/wait a few seconds/));
    expect(s.prompt.shown).toHaveLength(0);
  });

  it("the requester's Esc takes control back; an Esc the helper sent (an echo) does not", async () => {
    const s = setup();
    await toControlling(s);
    s.echoes.push('Escape');
    expect(s.requester.escape()).toBe(false);
    expect(s.gate.control).toBe(true);
    expect(s.requester.escape()).toBe(true);
    expect(s.gate.control).toBe(false);
    expect(s.gate.releases).toBeGreaterThan(0);
    await vi.waitFor(() => expect(s.h().state).toBe('viewing'));
    expect(s.h().notice).toMatch(/took back control/);
    expect(s.rAudit).toContainEqual({ type: 'control.revoked', by: 'esc' });
  });

  it('the stop button revokes control and releases held input', async () => {
    const s = setup();
    await toControlling(s);
    s.requester.stopControl();
    expect(s.gate.control).toBe(false);
    expect(s.gate.releases).toBe(1);
    await vi.waitFor(() => expect(s.h().state).toBe('viewing'));
  });

  it('view-only policy refuses control without asking the user', async () => {
    const s = setup({ controlAllowed: false });
    await toViewing(s);
    expect(s.h().controlAllowed).toBe(false);
    expect(s.h().controlReason).toMatch(/view only/);
    s.helper.requestControl();
    await vi.waitFor(() => expect(s.h().notice).toMatch(/view only/));
    expect(s.prompt.shown).toHaveLength(0);
    expect(s.gate.control).toBe(false);
  });

  it('a policy change mid-session takes control back', async () => {
    const s = setup();
    await toControlling(s);
    s.setAllowed(false);
    s.requester.policyChanged();
    expect(s.gate.control).toBe(false);
    await vi.waitFor(() => expect(s.h().state).toBe('viewing'));
    expect(s.rAudit).toContainEqual({ type: 'control.revoked', by: 'policy' });
  });

  it('pause stops input and shows paused on both sides; resume returns to controlling', async () => {
    const s = setup();
    await toControlling(s);
    s.requester.pause(true);
    expect(s.gate.paused).toBe(true);
    await vi.waitFor(() => expect(s.h().state).toBe('paused'));
    s.helper.input([{ type: 'pointer.move', x: 0.1, y: 0.1 }]);
    s.requester.pause(false);
    await vi.waitFor(() => expect(s.h().state).toBe('controlling'));
    expect(s.gate.handled).toEqual([]);
  });

  it.each(['requester', 'helper'] as const)('ending from the %s ends both sides', async (who) => {
    const s = setup();
    await toControlling(s);
    if (who === 'requester') s.requester.end();
    else s.helper.end();
    await vi.waitFor(() => expect(s.r().state).toBe('ended'));
    await vi.waitFor(() => expect(s.h().state).toBe('ended'));
    expect(s.gate.control).toBe(false);
    expect((who === 'requester' ? s.h() : s.r()).endedReason).toMatch(/ended the session/);
  });

  it('a lost link revokes control and ends the session with the reason', async () => {
    const s = setup();
    await toControlling(s);
    s.helperLink.close('gone');
    await vi.waitFor(() => expect(s.r().state).toBe('ended'));
    expect(s.gate.control).toBe(false);
    expect(s.r().endedReason).toMatch(/connection to Helen Helper was lost/);
    expect(s.rAudit).toContainEqual({ type: 'control.revoked', by: 'link-loss' });
  });

  it('prompts never stack, and an ended session withdraws its prompt', async () => {
    const s = setup();
    await toViewing(s);
    s.helper.requestControl();
    await vi.waitFor(() => expect(s.prompt.shown).toHaveLength(1));
    s.helper.requestControl();
    s.requesterLink.channel('control').send({ type: 'control.request' });
    await new Promise((r) => setTimeout(r, 20));
    expect(s.prompt.maxOpen).toBe(1);
    s.helper.end();
    await vi.waitFor(() => expect(s.prompt.open).toBe(0));
  });

  it('the helper is told while a question on the requester\'s screen holds its input back, and when it works again', async () => {
    const s = setup();
    await toControlling(s);
    s.requester.inputHeld(true);
    await vi.waitFor(() => expect(s.h().notice).toMatch(/is answering a question on their screen/));
    s.requester.inputHeld(true); // said once, not twice
    s.requester.inputHeld(false);
    await vi.waitFor(() => expect(s.h().notice).toBeNull());
    expect(s.h().state).toBe('controlling');
  });

  it('a prompt while only viewing tells the helper nothing (its input is not injected anyway)', async () => {
    const s = setup();
    await toViewing(s);
    const sent: unknown[] = [];
    s.helperLink.channel('control').onMessage((m) => sent.push(m));
    s.requester.inputHeld(true);
    s.requester.inputHeld(false);
    await new Promise((r) => setTimeout(r, 20));
    expect(sent.filter((m) => (m as { type: string }).type === 'input.held')).toEqual([]);
  });

  it('drops malformed and forbidden control messages', async () => {
    const s = setup();
    await toViewing(s);
    s.helperLink.channel('control').send({ type: 'state', state: 'controlling', controlAllowed: true, controlReason: null });
    s.helperLink.channel('control').send({ type: 'control.revoked', by: 'esc' });
    s.helperLink.channel('control').send({ nonsense: true });
    await new Promise((r) => setTimeout(r, 20));
    expect(s.r().state).toBe('viewing');
    expect(s.gate.control).toBe(false);
  });
});
