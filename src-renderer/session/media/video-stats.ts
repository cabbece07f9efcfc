/** What the quality indicator shows. */
export interface VideoStats {
  fps: number | null;
  width: number | null;
  height: number | null;
  /** Network round trip in ms (from the ICE candidate pair). */
  rttMs: number | null;
  /** Received (helper) or sent (requester) video bitrate in kbit/s. */
  kbps: number | null;
  /** Frames lost or dropped since the start. */
  framesDropped: number | null;
}

const lastBytes = new WeakMap<RTCPeerConnection, { bytes: number; at: number }>();

/** Reads the current video figures from a peer connection's standard stats. */
export async function readVideoStats(pc: RTCPeerConnection, direction: 'inbound' | 'outbound'): Promise<VideoStats> {
  const report = await pc.getStats();
  const out: VideoStats = { fps: null, width: null, height: null, rttMs: null, kbps: null, framesDropped: null };
  report.forEach((s: Record<string, unknown>) => {
    if (s.type === `${direction}-rtp` && s.kind === 'video') {
      out.fps = typeof s.framesPerSecond === 'number' ? Math.round(s.framesPerSecond) : null;
      out.width = typeof s.frameWidth === 'number' ? s.frameWidth : null;
      out.height = typeof s.frameHeight === 'number' ? s.frameHeight : null;
      out.framesDropped = typeof s.framesDropped === 'number' ? s.framesDropped : null;
      const bytes = (direction === 'inbound' ? s.bytesReceived : s.bytesSent) as number | undefined;
      if (typeof bytes === 'number') {
        const prev = lastBytes.get(pc);
        const now = performance.now();
        if (prev && now > prev.at) out.kbps = Math.round(((bytes - prev.bytes) * 8) / (now - prev.at));
        lastBytes.set(pc, { bytes, at: now });
      }
    }
    if (s.type === 'candidate-pair' && s.nominated && typeof s.currentRoundTripTime === 'number') out.rttMs = Math.round(s.currentRoundTripTime * 1000);
  });
  return out;
}
