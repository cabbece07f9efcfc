import { ComingSoon } from '../components/ComingSoon';

/** The session logs page. */
export function LogsScreen() {
  return <ComingSoon title="Session logs" what="the list of past sessions and what happened in each." />;
}
