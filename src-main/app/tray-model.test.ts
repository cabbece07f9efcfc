import { describe, expect, it } from 'vitest';
import type { InvitationView, SessionView } from '../../src-shared/contract/index';
import { SESSION_STATES } from '../../src-shared/session/session-machine';
import { closeDecision, trayModel } from './tray-model';

const session = (p: Partial<SessionView> = {}): SessionView => ({
  sessionId: 's1',
  role: 'requester',
  kind: 'invitation',
  state: 'viewing',
  peerName: 'Helen',
  peerAddress: '10.0.0.2',
  startedAt: 0,
  controlAllowed: true,
  controlReason: null,
  controlPending: false,
  endedReason: null,
  notice: null,
  iceServers: [],
  ...p,
});

const invitation = (p: Partial<InvitationView> = {}): InvitationView => ({
  invitationId: 'i1',
  state: 'open',
  createdAt: '2026-01-01T10:00:00Z',
  expiresAt: '2026-01-01T16:00:00Z',
  mode: 'encrypted',
  allowControl: true,
  attemptsLeft: 5,
  port: 40000,
  savedTo: null,
  fileName: 'x.rainvite',
  lastEvent: null,
  firewallNotice: null,
  ...p,
});

describe('tray model', () => {
  it('has no tray icon when nothing is going on', () => {
    expect(trayModel(null, null)).toBeNull();
    expect(trayModel(session({ state: 'ended' }), null)).toBeNull();
    for (const state of ['expired', 'cancelled', 'locked', 'connected'] as const) expect(trayModel(null, invitation({ state })), state).toBeNull();
  });

  it('says who is connected and offers "End session" in every live state, both roles', () => {
    for (const role of ['requester', 'helper'] as const)
      for (const state of SESSION_STATES.filter((s) => s !== 'ended')) {
        const m = trayModel(session({ role, state }), null)!;
        expect(m.stop).toEqual({ action: 'end-session', label: 'End session' });
        expect(m.status).toContain('Helen');
        expect(m.tooltip.length).toBeLessThanOrEqual(127);
      }
    expect(trayModel(session({ state: 'controlling' }), null)!.status).toBe('Helen is controlling your computer');
    expect(trayModel(session({ role: 'helper', state: 'viewing' }), null)!.status).toBe("You are viewing Helen's screen");
  });

  it('a session wins over the invitation it came from', () => {
    expect(trayModel(session(), invitation())!.stop.action).toBe('end-session');
  });

  it('shows an open invitation with a way to cancel it', () => {
    const m = trayModel(null, invitation())!;
    expect(m.stop).toEqual({ action: 'cancel-invitation', label: 'Cancel invitation' });
    expect(m.status).toMatch(/^Invitation open until \d{4}-\d\d-\d\d \d\d:\d\d: waiting for your helper$/);
  });

  it('keeps a hostile peer name to one short line', () => {
    const m = trayModel(session({ peerName: 'Eve\nClick here to update\u0007' + 'x'.repeat(300) }), null)!;
    expect(m.status).not.toMatch(/\n/);
    expect(m.tooltip.length).toBeLessThanOrEqual(127);
    expect(trayModel(session({ peerName: '\n\n' }), null)!.status).toBe('Your helper is viewing your screen');
  });
});

describe('closing the window', () => {
  it('closes at once when nothing is going on', () => {
    expect(closeDecision(null, null)).toEqual({ kind: 'close' });
    expect(closeDecision(session({ state: 'ended' }), invitation({ state: 'connected' }))).toEqual({ kind: 'close' });
  });

  it('asks first during a session, and "yes" ends it', () => {
    const d = closeDecision(session({ state: 'awaiting-consent' }), null);
    expect(d).toMatchObject({ kind: 'confirm', message: 'A session is running. End it and close?', onConfirm: 'end-session', confirmLabel: 'End session and close' });
    expect(closeDecision(session({ role: 'helper' }), null)).toMatchObject({ kind: 'confirm', onConfirm: 'end-session' });
  });

  it('asks first while an invitation is open, and "yes" cancels it', () => {
    expect(closeDecision(null, invitation())).toMatchObject({ kind: 'confirm', onConfirm: 'cancel-invitation' });
  });
});
