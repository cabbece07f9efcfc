import { useEffect } from 'react';
import { useAppStore } from '../store/store-context';
import type { Route } from '../store/app-store';
import { StatusBar } from '../components/StatusBar';
import { HomeScreen } from '../home/HomeScreen';
import { InviteScreen } from '../wizard/invite/InviteScreen';
import { HelpScreen } from '../wizard/help/HelpScreen';
import { OfferScreen } from '../wizard/offer/OfferScreen';
import { SettingsScreen } from '../settings/SettingsScreen';
import { LogsScreen } from '../logs/LogsScreen';
import { SessionScreen } from '../session/SessionScreen';
import { ConsentDialog } from '../components/ConsentDialog';

const SCREENS: Record<Route, () => React.JSX.Element> = {
  home: HomeScreen,
  invite: InviteScreen,
  help: HelpScreen,
  offer: OfferScreen,
  settings: SettingsScreen,
  logs: LogsScreen,
  session: SessionScreen,
};

/** The page: the current screen, a fatal-error banner when main is unreachable, the status bar. */
export function App() {
  const route = useAppStore((s) => s.route);
  const fatal = useAppStore((s) => s.fatal);
  const navigate = useAppStore((s) => s.navigate);
  useEffect(() => {
    // Alt+Home returns to the start screen from anywhere, like a browser's home key.
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && e.key === 'Home') navigate('home');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);
  const Screen = SCREENS[route];
  return (
    <div className="app" data-route={route}>
      {fatal && (
        <div className="banner banner-error" role="alert" data-testid="fatal">
          {fatal}
        </div>
      )}
      <div className="content">
        <Screen />
      </div>
      <ConsentDialog />
      <StatusBar />
    </div>
  );
}
