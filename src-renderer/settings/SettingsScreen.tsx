import { ComingSoon } from '../components/ComingSoon';

/** The "Remote settings" page. */
export function SettingsScreen() {
  return <ComingSoon title="Remote settings" what="choosing what helpers may do, and seeing what your administrator has set." />;
}
