import { useAppStore } from '../../store/store-context';

/** Frame rate, resolution and round trip of the screen video, with a coloured grade. */
export function QualityIndicator() {
  const stats = useAppStore((s) => s.media.stats);
  if (!stats || stats.fps === null) return <span className="quality muted">No video statistics yet</span>;
  const grade = stats.fps >= 20 && (stats.rttMs ?? 0) < 100 ? 'good' : stats.fps >= 10 ? 'fair' : 'poor';
  return (
    <span className={`quality quality-${grade}`} data-testid="quality" data-fps={stats.fps} title="Video quality">
      {stats.fps} fps · {stats.width}×{stats.height}
      {stats.rttMs !== null ? ` · ${stats.rttMs} ms` : ''}
      {stats.kbps !== null ? ` · ${(stats.kbps / 1000).toFixed(1)} Mbit/s` : ''}
    </span>
  );
}
