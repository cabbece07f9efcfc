import { useAppStore } from '../../store/store-context';
import { ScreenHeader } from '../../components/ScreenHeader';
import { OpenInvitation } from './OpenInvitation';
import { ConnectForm } from './ConnectForm';
import { EasyConnectForm } from './EasyConnectForm';

/** "Help someone who has invited you". */
export function HelpScreen() {
  const opened = useAppStore((s) => s.opened);
  return (
    <main className="screen">
      <ScreenHeader title="Help someone who has invited you" />
      <p className="notice" data-testid="scam-warning">
        Only help people you know who asked you for help. If someone you do not know asked you to connect, or is rushing you, stop: the person you help will see who you are and must agree before anything is shared.
      </p>
      {opened ? (
        <ConnectForm />
      ) : (
        <>
          <OpenInvitation />
          <EasyConnectForm />
        </>
      )}
    </main>
  );
}
