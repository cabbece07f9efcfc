import { ComingSoon } from '../../components/ComingSoon';

/** "Offer help to someone". */
export function OfferScreen() {
  return <ComingSoon title="Offer help to someone" what="offering help to a computer by name, for helpers your administrator has listed." />;
}
