import { ComingSoon } from '../../components/ComingSoon';

/** "Invite someone you trust to help you". */
export function InviteScreen() {
  return <ComingSoon title="Invite someone you trust to help you" what="creating a password-protected invitation." />;
}
