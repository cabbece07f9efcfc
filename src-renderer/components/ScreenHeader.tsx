import type { ReactNode } from 'react';
import { useAppStore } from '../store/store-context';

/** Title of a screen with a way back home (also Alt+Home / Escape handled in App). */
export function ScreenHeader({ title, children }: { title: string; children?: ReactNode }) {
  const navigate = useAppStore((s) => s.navigate);
  return (
    <div className="screen-header">
      <button type="button" className="link-button" onClick={() => navigate('home')} aria-label="Back to the start screen">
        ← Start
      </button>
      <h1>{title}</h1>
      {children}
    </div>
  );
}
