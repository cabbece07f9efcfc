import SimplePeer, { type SimplePeerInstance } from 'simple-peer/simplepeer.min.js';
import type { SessionView } from '../../../src-shared/contract/index';
import type { HostClient } from '../../../src-shared/rpc/host-client';
import { readVideoStats, type VideoStats } from './video-stats';

export interface MediaState {
  /** The requester's own capture (shown small so they see what is shared). */
  localStream: MediaStream | null;
  /** The helper's view of the requester's screen. */
  remoteStream: MediaStream | null;
  captureError: string | null;
  peerState: 'idle' | 'connecting' | 'connected' | 'failed';
  stats: VideoStats | null;
}

export const INITIAL_MEDIA: MediaState = { localStream: null, remoteStream: null, captureError: null, peerState: 'idle', stats: null };

/**
 * Frame rate asked of the capture and allowed to the encoder. 60 rather than 30: on the bench's
 * 2-core machine the helper then saw ~46 fps of full-screen motion instead of ~29 (x11vnc: 32–55)
 * and ~51 instead of ~29 for small changes, at the same glass-to-glass latency, for ~25 % of a core
 * more on the requester (bench/README.md). When the CPU runs short the encoder drops frames, never
 * resolution (DEGRADATION). Asking the helper's receiver for no jitter buffer
 * (`jitterBufferTarget = 0`, `playoutDelayHint = 0`) changed nothing measurable, so it is not done.
 */
const MAX_FRAME_RATE = 60;

const CAPTURE: DisplayMediaStreamOptions = {
  video: { width: { ideal: 1920 }, height: { ideal: 1080 }, frameRate: { ideal: MAX_FRAME_RATE, max: MAX_FRAME_RATE } },
  audio: false,
};

/**
 * 'motion' keeps WebRTC's low-latency path for the receiver (with 'detail' the helper's jitter
 * buffer held frames ~15 ms longer under full-screen motion in `npm run bench`).
 */
const SCREEN_CONTENT_HINT = 'motion';
/**
 * A helper must be able to read the screen, so the encoder keeps the full resolution and gives up
 * frame rate when CPU or network run short. With 'motion' alone WebRTC shrank the picture instead:
 * it started at 320×200 on loopback (its bitrate cap follows the resolution, and the bandwidth
 * estimate starts low) and stayed there (bench/README.md).
 */
const DEGRADATION: RTCDegradationPreference = 'maintain-resolution';
/** Above WebRTC's resolution-based default: at 4 Mbit/s full-screen motion came out blurred (qp ~50 of 127, ~14 at 8). */
const MAX_VIDEO_BITRATE = 8_000_000;

/**
 * Offers H.264 first (OpenH264 in Chromium and Electron) and every other codec after it, so a peer
 * without H.264 still gets VP8. Side by side on the bench's rig, H.264 encoded a 1280×800 frame in
 * 10–12 ms where VP8 took 13–20, small changes (typing, a cursor) reached the helper in ~50 ms
 * instead of ~80, and full-screen motion held ~28 fps where VP8 ranged from 20 to 28.
 */
function preferH264(pc: RTCPeerConnection): void {
  const codecs = RTCRtpSender.getCapabilities?.('video')?.codecs ?? [];
  const isH264 = (c: RTCRtpCodec) => c.mimeType.toLowerCase() === 'video/h264';
  if (!codecs.some(isH264)) return;
  for (const t of pc.getTransceivers()) {
    if (t.sender.track?.kind !== 'video') continue;
    try {
      t.setCodecPreferences([...codecs.filter(isH264), ...codecs.filter((c) => !isH264(c))]);
    } catch {
      // An engine that refuses the list negotiates its default order: still a working session.
    }
  }
}

/** Applies the encoder settings above to the video sender; a sender without encodings yet is left for a later call. */
async function tuneVideoSender(pc: RTCPeerConnection): Promise<void> {
  for (const sender of pc.getSenders()) {
    if (sender.track?.kind !== 'video') continue;
    const params = sender.getParameters();
    if (!params.encodings?.length) continue;
    params.encodings[0] = { ...params.encodings[0], maxBitrate: MAX_VIDEO_BITRATE, maxFramerate: MAX_FRAME_RATE };
    params.degradationPreference = DEGRADATION;
    await sender.setParameters(params);
  }
}

/**
 * Runs the screen video for the page: the requester captures and offers, the helper answers and
 * shows. It follows the session state main announces — capture starts only after consent — and its
 * signalling goes to main, which carries it over the authenticated link.
 */
export class MediaController {
  private peer: SimplePeerInstance | null = null;
  private capture: MediaStream | null = null;
  private starting = false;
  private queued: unknown[] = [];
  private sessionId: string | null = null;
  private session: SessionView | null = null;
  private role: SessionView['role'] | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private gotOffer = false;

  constructor(
    private readonly client: HostClient,
    private readonly update: (patch: Partial<MediaState>) => void,
  ) {
    client.on('session.signal', ({ data }) => this.onSignal(data));
  }

  /** Brings media in line with the session: start, pause, resume or tear down. */
  sync(session: SessionView | null): void {
    if (!session || session.state === 'ended' || (this.sessionId && session.sessionId !== this.sessionId)) this.teardown();
    if (!session || session.state === 'ended') return;
    this.sessionId = session.sessionId;
    this.session = session;
    this.role = session.role;
    const live = session.state === 'viewing' || session.state === 'controlling' || session.state === 'paused';
    if (session.role === 'requester') {
      if (live && !this.peer && !this.starting) void this.startRequester(session);
      // Paused: the track stops carrying the screen (black frames), and the helper shows a card.
      for (const t of this.capture?.getVideoTracks() ?? []) t.enabled = session.state !== 'paused';
    } else if (live && !this.peer) {
      this.startHelper(session);
    }
  }

  /** Lets the requester share a different screen or window without ending the session. */
  async switchSource(): Promise<void> {
    if (this.role !== 'requester' || !this.peer || !this.capture) return;
    const next = await navigator.mediaDevices.getDisplayMedia(CAPTURE);
    const [oldTrack] = this.capture.getVideoTracks();
    const [newTrack] = next.getVideoTracks();
    if (!oldTrack || !newTrack) return;
    newTrack.contentHint = SCREEN_CONTENT_HINT;
    this.peer.replaceTrack(oldTrack, newTrack, this.capture);
    this.capture.removeTrack(oldTrack);
    this.capture.addTrack(newTrack);
    oldTrack.stop();
    this.update({ localStream: this.capture });
  }

  private async startRequester(session: SessionView): Promise<void> {
    this.starting = true;
    this.update({ captureError: null, peerState: 'connecting' });
    try {
      this.capture = await navigator.mediaDevices.getDisplayMedia(CAPTURE);
    } catch (e) {
      this.starting = false;
      this.update({ captureError: `Your screen could not be captured: ${(e as Error).message}. Choose a screen when asked, or end the session.`, peerState: 'failed' });
      return;
    }
    for (const t of this.capture.getVideoTracks()) t.contentHint = SCREEN_CONTENT_HINT;
    this.starting = false;
    this.update({ localStream: this.capture });
    this.peer = this.makePeer(true, session, this.capture);
    // simple-peer has added the track and negotiates on a later tick: the order applies to the first offer.
    preferH264(this.peer._pc);
    // Before negotiation where the engine allows it (so the first frames are full size), and again on connect.
    void tuneVideoSender(this.peer._pc).catch(() => undefined);
  }

  private startHelper(session: SessionView): void {
    this.update({ peerState: 'connecting' });
    this.peer = this.makePeer(false, session);
    for (const s of this.queued.splice(0)) this.peer.signal(s);
  }

  private makePeer(initiator: boolean, session: SessionView, stream?: MediaStream): SimplePeerInstance {
    // Our own ICE servers only: simple-peer would otherwise contact Google's and Twilio's.
    const peer = new SimplePeer({ initiator, trickle: true, config: { iceServers: session.iceServers, iceTransportPolicy: session.iceTransportPolicy ?? 'all' }, ...(stream ? { stream } : {}) });
    peer.on('signal', (data) => void this.client.invoke('session.signal', { data: data as never }).catch(() => {}));
    peer.on('stream', (remote) => this.update({ remoteStream: remote }));
    peer.on('connect', () => {
      // Best effort: an older engine without these parameters still shares the screen.
      if (initiator) void tuneVideoSender(peer._pc).catch(() => undefined);
      this.update({ peerState: 'connected' });
      this.startStats(peer);
    });
    peer.on('error', (err) => this.update({ peerState: 'failed', captureError: initiator ? `Screen sharing failed: ${err.message}` : null }));
    peer.on('close', () => {
      if (this.peer === peer) this.update({ peerState: 'idle' });
    });
    return peer;
  }

  private onSignal(data: unknown): void {
    const isOffer = typeof data === 'object' && data !== null && (data as { type?: string }).type === 'offer';
    if (this.role === 'helper' && isOffer && this.gotOffer && this.peer) {
      // The requester's page restarted its side: start over with a fresh peer.
      this.peer.destroy();
      this.peer = null;
    }
    if (this.role === 'helper' && isOffer) this.gotOffer = true;
    if (this.peer) this.peer.signal(data);
    else this.queued.push(data);
    // An offer can overtake the state change that would have created the helper's peer.
    if (this.role === 'helper' && !this.peer && this.session) this.startHelper(this.session);
  }

  private startStats(peer: SimplePeerInstance): void {
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = setInterval(() => {
      if (peer.destroyed) return;
      void readVideoStats(peer._pc, this.role === 'helper' ? 'inbound' : 'outbound').then((stats) => this.update({ stats }));
    }, 1000);
  }

  private teardown(): void {
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = null;
    this.peer?.destroy();
    this.peer = null;
    for (const t of this.capture?.getTracks() ?? []) t.stop();
    this.capture = null;
    this.queued = [];
    this.sessionId = null;
    this.session = null;
    this.gotOffer = false;
    this.starting = false;
    this.update({ ...INITIAL_MEDIA });
  }
}
