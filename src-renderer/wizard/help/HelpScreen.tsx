import { ComingSoon } from '../../components/ComingSoon';

/** "Help someone who has invited you". */
export function HelpScreen() {
  return <ComingSoon title="Help someone who has invited you" what="opening an invitation file and connecting with its password." />;
}
