import { useEffect } from 'react';
import { useAppStore } from '../../store/store-context';
import { ScreenHeader } from '../../components/ScreenHeader';
import { OfferForm } from './OfferForm';
import { HelperIdCard } from './HelperIdCard';
import './offer.css';

/** "Offer help to someone": connect to a computer by name, for helpers its administrator has listed. */
export function OfferScreen() {
  const load = useAppStore((s) => s.loadOffer);
  const setHost = useAppStore((s) => s.setOfferHost);
  // `remote-assist --offer HOST` (or a link) only fills the name in: connecting is the user's click.
  const launchHost = useAppStore((s) => (s.launch?.route === 'offer' ? s.launch.host : null));
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (launchHost) setHost(launchHost);
  }, [launchHost, setHost]);
  return (
    <main className="screen" data-testid="offer-screen">
      <ScreenHeader title="Offer help to someone" />
      <p className="notice">
        Offer help only to people who expect it. The computer must allow offers and list your helper ID, and the person there decides whether you may see their screen.
      </p>
      <OfferForm />
      <HelperIdCard />
    </main>
  );
}
