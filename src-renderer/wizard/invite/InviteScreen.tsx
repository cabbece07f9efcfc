import { useAppStore } from '../../store/store-context';
import { ScreenHeader } from '../../components/ScreenHeader';
import { InviteForm } from './InviteForm';
import { InvitationWaiting } from './InvitationWaiting';

/** "Invite someone you trust to help you". */
export function InviteScreen() {
  const invitation = useAppStore((s) => s.invitation);
  const allowed = useAppStore((s) => s.settings?.settings.allowInvitations);
  const disabled = allowed?.value === false;
  const showForm = !disabled && (!invitation || invitation.state !== 'open');
  return (
    <main className="screen">
      <ScreenHeader title="Invite someone you trust to help you" />
      {disabled && (
        <p className="error" role="alert" data-testid="invitations-disabled">
          {allowed?.source === 'policy'
            ? 'Your administrator has turned off invitations on this computer, so you cannot ask for help this way. Contact your IT department for help.'
            : 'Invitations are turned off in Remote settings. Turn them on there to ask for help.'}
        </p>
      )}
      {/* A used invitation belongs to its session (shown on the session screen), not here. */}
      {invitation && invitation.state !== 'connected' && <InvitationWaiting />}
      {showForm && <InviteForm />}
    </main>
  );
}
