import { describe, expect, it } from 'vitest';
import { hasControl, INITIAL, IllegalTransition, SESSION_STATES, transition, type Machine, type SessionEvent, type SessionState } from './session-machine';

const EVENTS: SessionEvent['type'][] = ['linked', 'consent-granted', 'consent-declined', 'control-granted', 'control-revoked', 'pause', 'resume', 'end'];

/** The full table: from state × event → resulting state, or null when illegal. */
const TABLE: Record<SessionState, Partial<Record<SessionEvent['type'], SessionState>>> = {
  waiting: { linked: 'awaiting-consent', end: 'ended' },
  'awaiting-consent': { 'consent-granted': 'viewing', 'consent-declined': 'ended', end: 'ended' },
  viewing: { 'control-granted': 'controlling', pause: 'paused', end: 'ended' },
  controlling: { 'control-revoked': 'viewing', pause: 'paused', end: 'ended' },
  paused: { resume: 'viewing', 'control-revoked': 'paused', end: 'ended' },
  ended: {},
};

describe('session state machine', () => {
  for (const from of SESSION_STATES) {
    for (const ev of EVENTS) {
      const expected = TABLE[from][ev];
      it(`${from} + ${ev} → ${expected ?? 'illegal'}`, () => {
        const m: Machine = { state: from, resumeTo: from === 'paused' ? 'viewing' : null };
        if (expected) expect(transition(m, { type: ev }).state).toBe(expected);
        else expect(() => transition(m, { type: ev })).toThrow(IllegalTransition);
      });
    }
  }

  it('resumes to controlling when paused while controlling', () => {
    let m = INITIAL;
    for (const t of ['linked', 'consent-granted', 'control-granted', 'pause'] as const) m = transition(m, { type: t });
    expect(m).toEqual({ state: 'paused', resumeTo: 'controlling' });
    expect(transition(m, { type: 'resume' }).state).toBe('controlling');
  });

  it('resumes to viewing when control was revoked during the pause', () => {
    let m = INITIAL;
    for (const t of ['linked', 'consent-granted', 'control-granted', 'pause', 'control-revoked'] as const) m = transition(m, { type: t });
    expect(transition(m, { type: 'resume' }).state).toBe('viewing');
  });

  it('an illegal transition names the state and the event', () => {
    expect(() => transition(INITIAL, { type: 'control-granted' })).toThrow(/control-granted in waiting/);
  });
});

describe('hasControl', () => {
  it('is true while controlling and while paused with control to come back to, and only then', () => {
    const controlling = transition(transition(transition(INITIAL, { type: 'linked' }), { type: 'consent-granted' }), { type: 'control-granted' });
    expect(hasControl(controlling)).toBe(true);
    const paused = transition(controlling, { type: 'pause' });
    expect(hasControl(paused)).toBe(true);
    expect(hasControl(transition(paused, { type: 'control-revoked' }))).toBe(false);
    expect(hasControl(transition(controlling, { type: 'control-revoked' }))).toBe(false);
    expect(hasControl(transition(transition(controlling, { type: 'control-revoked' }), { type: 'pause' }))).toBe(false);
    expect(hasControl(INITIAL)).toBe(false);
  });
});
