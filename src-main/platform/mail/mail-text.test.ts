import { describe, expect, it } from 'vitest';
import { expiryText, invitationMailText } from './mail-text';

const facts = { fileName: 'Invitation from ana-20261125-1403.rainvite', requesterUser: 'ana', requesterComputer: 'ANA-PC', expiresAt: '2026-11-25T20:03:00Z' };

describe('invitation e-mail text', () => {
  it('says in plain words what to do with the attachment and that the password comes separately', () => {
    const { subject, body } = invitationMailText(facts);
    expect(subject).toBe('Remote Assist invitation from ana');
    expect(body).toContain('The attached file, Invitation from ana-20261125-1403.rainvite, is the invitation.');
    expect(body).toMatch(/double-click it/);
    expect(body).toMatch(/Help someone who has invited you/);
    expect(body).toMatch(/password separately, by phone or in person\. It is not in this e-mail/);
    expect(body).toMatch(/Nothing is shared until I agree/);
    expect(body).toContain(`works until ${expiryText(facts.expiresAt)}`);
  });

  it('keeps names from forging extra lines', () => {
    const { subject, body } = invitationMailText({ ...facts, requesterUser: 'ana\nBcc: eve@example.com', requesterComputer: 'PC\r\n\r\nPassword: hunter2' });
    expect(subject).not.toMatch(/[\r\n]/);
    expect(body.split('\n').some((l) => l.startsWith('Bcc:') || l.startsWith('Password:'))).toBe(false);
  });

  it('writes the expiry on the requester clock with its UTC offset', () => {
    expect(expiryText('2026-11-25T20:03:00Z')).toMatch(/^2026-11-2[56] \d\d:\d3 \(UTC[+-]\d\d:\d\d\)$/);
  });
});
