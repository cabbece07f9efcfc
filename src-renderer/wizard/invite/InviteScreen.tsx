import { useAppStore } from '../../store/store-context';
import { ScreenHeader } from '../../components/ScreenHeader';
import { InviteForm } from './InviteForm';
import { InvitationWaiting } from './InvitationWaiting';

/** "Invite someone you trust to help you". */
export function InviteScreen() {
  const invitation = useAppStore((s) => s.invitation);
  const showForm = !invitation || invitation.state !== 'open';
  return (
    <main className="screen">
      <ScreenHeader title="Invite someone you trust to help you" />
      {invitation && <InvitationWaiting />}
      {showForm && <InviteForm />}
    </main>
  );
}
