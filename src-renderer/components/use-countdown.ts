import { useEffect, useState } from 'react';

/** Milliseconds until `iso` (never negative), updated every second. */
export function useCountdown(iso: string | null | undefined): number {
  const target = iso ? Date.parse(iso) : 0;
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!target) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [target]);
  return Math.max(0, target - now);
}

/** "5 h 03 min", "12 min 09 s", "40 s". */
export function formatRemaining(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(sec).padStart(2, '0')} s`;
  return `${sec} s`;
}
