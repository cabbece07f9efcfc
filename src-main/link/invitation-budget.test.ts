import { describe, expect, it } from 'vitest';
import { InvitationBudget, type AttemptTicket } from './invitation-budget';

function budget(max = 3, expiresAt = Date.now() + 60_000, now?: () => number) {
  const log: string[] = [];
  const b = new InvitationBudget(
    'inv-12345678',
    max,
    expiresAt,
    { wrongAttempt: (addr, left, cause) => log.push(`wrong ${addr} ${left} ${cause}`), locked: () => log.push('locked'), used: () => log.push('used') },
    now,
  );
  const charge = (addr = 'a') => {
    const r = b.charge('inv-12345678', addr);
    if ('refusal' in r) throw new Error(`refused: ${r.refusal.reason}`);
    return r.ticket;
  };
  return { b, log, charge };
}

describe('InvitationBudget', () => {
  it('charges before the share and refunds on proof of the password', () => {
    const { b, log, charge } = budget(3);
    const t = charge();
    expect(t.attemptsLeftIfWrong).toBe(2);
    expect(b.attemptsLeft).toBe(2);
    expect(t.succeed()).toBeNull();
    expect(b.attemptsLeft).toBe(3);
    expect(b.state).toBe('used');
    expect(log).toEqual(['used']);
    expect(b.check('inv-12345678')?.reason).toBe('used');
  });

  it('concurrent attempts cannot exceed the budget; the last pending failure locks', () => {
    const { b, log, charge } = budget(2);
    const t1 = charge('x');
    const t2 = charge('y');
    expect([t1.attemptsLeftIfWrong, t2.attemptsLeftIfWrong]).toEqual([1, 0]);
    // Spent but still pending: a third helper is told "busy", not "locked" (one of the two may be right).
    expect(b.charge('inv-12345678')).toMatchObject({ refusal: { reason: 'busy' } });
    t1.fail('closed');
    expect(b.state).toBe('open');
    t2.fail('bad-confirmation');
    expect(b.state).toBe('locked');
    expect(log).toEqual(['wrong x 0 closed', 'wrong y 0 bad-confirmation', 'locked']);
    expect(b.check('inv-12345678')).toMatchObject({ reason: 'locked', message: 'Too many wrong passwords were tried; ask for a new invitation.' });
  });

  it('a pending right password still wins when the budget is otherwise spent', () => {
    const { b, charge } = budget(2);
    const wrong = charge();
    const right = charge();
    wrong.fail('bad-confirmation');
    expect(right.succeed()).toBeNull();
    expect(b.state).toBe('used');
  });

  it('only one of two right passwords claims the invitation', () => {
    const { b, charge } = budget(3);
    const t1: AttemptTicket = charge();
    const t2: AttemptTicket = charge();
    expect(t1.succeed()).toBeNull();
    expect(t2.succeed()).toMatchObject({ reason: 'used' });
    expect(b.attemptsLeft).toBe(3);
  });

  it('refuses unknown ids, expired and cancelled invitations; tickets settle once', () => {
    let now = 1000;
    const { b, charge } = budget(3, 2000, () => now);
    expect(b.check('another-id-0000')?.reason).toBe('unknown-invitation');
    const t = charge();
    t.fail('timeout');
    expect(() => t.fail('timeout')).toThrow(/twice/);
    now = 2000;
    expect(b.state).toBe('expired');
    expect(b.check('inv-12345678')).toMatchObject({ reason: 'expired', expiresAt: 2000 });
    const c = budget(3);
    c.b.close();
    expect(c.b.check('inv-12345678')?.reason).toBe('cancelled');
  });
});
