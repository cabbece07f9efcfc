import { useAppStore } from '../store/store-context';
import type { Route } from '../store/app-store';

const WAYS: { route: Route; title: string; text: string; testId: string }[] = [
  { route: 'invite', title: 'Invite someone you trust to help you', text: 'Create a password-protected invitation and send it to your helper. Nothing is shared until you say yes.', testId: 'way-invite' },
  { route: 'help', title: 'Help someone who has invited you', text: 'Open the invitation file you received and type the password they gave you.', testId: 'way-help' },
  { route: 'offer', title: 'Offer help to someone', text: 'For support staff your administrator has listed: connect to a computer by name. The user there still decides.', testId: 'way-offer' },
];

/** The start screen: the three ways in, plus settings and logs. */
export function HomeScreen() {
  const navigate = useAppStore((s) => s.navigate);
  const notice = useAppStore((s) => s.info?.displayNotice ?? null);
  return (
    <main className="home" aria-labelledby="home-title">
      <h1 id="home-title">Do you want to ask for or offer help?</h1>
      {notice && (
        <p className="notice" role="note">
          {notice}
        </p>
      )}
      <ul className="ways">
        {WAYS.map((w) => (
          <li key={w.route}>
            <button type="button" className="way" data-testid={w.testId} onClick={() => navigate(w.route)}>
              <span className="way-title">{w.title}</span>
              <span className="way-text">{w.text}</span>
            </button>
          </li>
        ))}
      </ul>
      <nav className="home-secondary" aria-label="More">
        <button type="button" className="link-button" onClick={() => navigate('settings')} data-testid="nav-settings">
          Remote settings
        </button>
        <button type="button" className="link-button" onClick={() => navigate('logs')} data-testid="nav-logs">
          Session logs
        </button>
      </nav>
    </main>
  );
}
