import { describe, expect, it } from 'vitest';
import { OFFER_WARNING, SCAM_WARNING, controlPrompt, viewPrompt } from './consent-texts';

describe('the scam warning in the consent prompts', () => {
  it('is in the view prompt by default: the scam warning for invitations, the help-desk warning for offers', () => {
    expect(viewPrompt('Helen', 'They used your invitation from 10.0.0.2.', null, 'invitation').details).toEqual(['They used your invitation from 10.0.0.2.', SCAM_WARNING]);
    expect(viewPrompt('Helen', 'Helen (from the help desk) connected.', null, 'offer').details).toEqual(['Helen (from the help desk) connected.', OFFER_WARNING]);
    expect(SCAM_WARNING).toMatch(/never call you out of the blue/);
    expect(OFFER_WARNING).toMatch(/never one given by the caller/);
  });

  it("is replaced by the administrator's text when one is set, never shown beside it", () => {
    const custom = 'Contoso IT will only connect after you call the help desk on 1234.';
    for (const kind of ['invitation', 'offer'] as const) {
      const t = viewPrompt('Helen', 'how', custom, kind);
      expect(t.details).toEqual(['how', custom]);
      expect(t.details.join(' ')).not.toContain(SCAM_WARNING);
      expect(t.details.join(' ')).not.toContain(OFFER_WARNING);
    }
  });

  it('the control prompt carries the administrator text when set, and nothing extra otherwise', () => {
    expect(controlPrompt('Helen', null).details).toEqual([]);
    expect(controlPrompt('Helen', 'Only if you called us.').details).toEqual(['Only if you called us.']);
    expect(controlPrompt('Helen', null).message).toMatch(/Press Esc or "Stop sharing control" at any time/);
  });
});
