import { passwordStrength } from '../../src-shared/invitation/password-rules';

/** How strong a password is, as a bar and a word, computed in the page from the shared rules. */
export function PasswordStrengthMeter({ password }: { password: string }) {
  const s = passwordStrength(password);
  return (
    <div className="strength" data-testid="password-strength" data-score={s.score}>
      <meter min={0} max={4} low={2} high={3} optimum={4} value={s.score} aria-label="Password strength" />
      <span className={`strength-label strength-${s.score}`}>{s.label}</span>
      <span className="muted">{s.hint}</span>
    </div>
  );
}
