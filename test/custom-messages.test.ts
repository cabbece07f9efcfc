// The scam warning and the administrator's own text (policy UseCustomMessages + ViewMessage /
// ShareControlMessage), through the whole requester path: policy file → services → session →
// the consent prompt main shows. Real app core, real link.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SCAM_WARNING } from '../src-main/consent/consent-texts';
import { disposeCores, inviteOn, startCore } from './helpers/core-harness';

afterEach(disposeCores);

const VIEW = 'Contoso IT: only accept if you called the help desk on 555-0100 first.';
const CONTROL = 'Contoso IT: never let anyone control your computer while your banking site is open.';

async function promptsShown(policy?: Record<string, unknown>) {
  const r = await startCore(policy ? { policy } : {});
  const { connect } = await inviteOn(r);
  await connect(undefined, 'Helen Helper').then(({ link }) => link.channel('control').send({ type: 'control.request' }));
  await r.prompt.answer('yes');
  await r.prompt.answer('yes');
  await vi.waitFor(async () => expect(await r.state()).toBe('controlling'));
  const [view, control] = r.prompt.asked;
  return { view: view!.details.join('\n'), control: control!.details.join('\n') };
}

describe('scam warning and custom messages in the consent prompts', () => {
  it('without a policy, the view prompt carries the scam warning', async () => {
    const p = await promptsShown();
    expect(p.view).toContain(SCAM_WARNING);
  });

  it("with UseCustomMessages, the administrator's texts replace it in both prompts", async () => {
    const p = await promptsShown({ useCustomMessages: true, viewMessage: VIEW, shareControlMessage: CONTROL });
    expect(p.view).toContain(VIEW);
    expect(p.view).not.toContain(SCAM_WARNING);
    expect(p.control).toContain(CONTROL);
  });

  it('texts set without UseCustomMessages are not shown, and the scam warning stays', async () => {
    const p = await promptsShown({ useCustomMessages: false, viewMessage: VIEW, shareControlMessage: CONTROL });
    expect(p.view).toContain(SCAM_WARNING);
    expect(p.view).not.toContain(VIEW);
    expect(p.control).not.toContain(CONTROL);
  });
});
