// Code that runs inside the Chromium pages. Each function is self-contained (Playwright sends its
// source text to the page), uses `globalThis.__tsCode` from TS_CODE_PAGE_SCRIPT, and keeps its
// measurements in a global the bench reads back with `page.evaluate`. Times are epoch ms with
// sub-ms precision (`performance.timeOrigin + performance.now()`): every page and the bench
// process read the same system clock, so times from different processes compare directly.
/* eslint-disable @typescript-eslint/no-explicit-any */

/** What the pattern page records (`globalThis.__pattern`). */
export interface PatternState {
  mode: 'idle' | 'small' | 'full';
  /** Frames painted since the last reset. */
  painted: number;
  since: number;
  /** Pointer positions seen (screen px) with their time. */
  moves: { t: number; x: number; y: number }[];
}

/**
 * The requester's screen content: a full-window canvas that paints the timestamp code at (0,0)
 * every animation frame. 'full' also repaints the whole screen with moving shapes (every pixel
 * changes every frame), 'small' changes only the code, 'idle' paints nothing.
 */
export function installPattern(): void {
  const g = globalThis as any;
  const kit = g.__tsCode;
  const W = screen.width;
  const H = screen.height;
  const st: PatternState = { mode: 'idle', painted: 0, since: performance.timeOrigin + performance.now(), moves: [] };
  g.__pattern = st;
  document.documentElement.style.cssText = 'margin:0;overflow:hidden;cursor:crosshair';
  document.body.style.cssText = 'margin:0;overflow:hidden;background:#000';
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  canvas.style.cssText = 'position:fixed;left:0;top:0';
  document.body.appendChild(canvas);
  const ctx = canvas.getContext('2d', { alpha: false })!;
  ctx.fillStyle = '#202830';
  ctx.fillRect(0, 0, W, H);
  ctx.font = '28px sans-serif';
  window.addEventListener('mousemove', (e) => st.moves.push({ t: performance.timeOrigin + performance.now(), x: e.screenX, y: e.screenY }), { capture: true, passive: true });
  const scene = (s: number) => {
    ctx.fillStyle = `hsl(${(s * 40) % 360},55%,40%)`;
    ctx.fillRect(0, 0, W, H);
    for (let i = 0; i < 24; i++) {
      ctx.fillStyle = `hsl(${(i * 37 + s * 90) % 360},80%,60%)`;
      ctx.fillRect(((i * 97 + s * (120 + i * 17)) % (W + 200)) - 100, ((i * 53 + s * (80 + i * 11)) % (H + 150)) - 75, 160, 110);
    }
    ctx.fillStyle = 'rgba(255,255,255,0.25)';
    for (let k = 0; k < 16; k++) ctx.fillRect((k * 80 + s * 240) % W, 0, 18, H);
    ctx.fillStyle = '#fff';
    for (let k = 0; k < 8; k++) ctx.fillText(`Remote Assist bench ${s.toFixed(3)} line ${k}`, 60 + ((s * 150 + k * 40) % 500), 120 + k * 80);
  };
  let codePainted = false;
  const paint = () => {
    const now = performance.timeOrigin + performance.now();
    // Idle still shows one (still) code, so the bench can check that the window is on top.
    if (st.mode !== 'idle' || !codePainted) {
      if (st.mode === 'full') scene(now / 1000);
      const word = kit.encode(now);
      for (let i = 0; i < 16; i++) {
        ctx.fillStyle = kit.bit(word, i) ? '#fff' : '#000';
        ctx.fillRect((i % 4) * 8, Math.floor(i / 4) * 8, 8, 8);
      }
      codePainted = true;
      if (st.mode !== 'idle') st.painted++;
    }
    requestAnimationFrame(paint);
  };
  requestAnimationFrame(paint);
}

/** One new frame as the helper page presented it. */
export interface ProbeFrame {
  /** rVFC `now`: when the frame was handed to the page's rendering (epoch ms). */
  t: number;
  code: number;
  /** Glass-to-glass ms: code paint time → `t`. */
  age: number;
  w: number;
  h: number;
  /** WebRTC-only rVFC fields, epoch ms (null when Chromium does not give them). */
  receiveTime: number | null;
  captureTime: number | null;
}

/** What the helper page probe records (`globalThis.__bench`). */
export interface ProbeState {
  connectAt: number | null;
  firstFrameAt: number | null;
  firstFrameSize: [number, number] | null;
  recording: boolean;
  frames: ProbeFrame[];
  presented: number;
  undecodable: number;
  lastCode: number;
  /** The helper's own mousemove events over the page (client px), for input latency. */
  moves: { t: number; x: number; y: number }[];
  /** Every RTCPeerConnection the page made (for getStats). */
  pcs: RTCPeerConnection[];
  /** Width of the shared screen in pixels, to find the 32 px code in a scaled video. */
  screenWidth: number;
}

/**
 * The helper page's probe (an init script, so it is in place before the app runs): watches the
 * remote <video> with requestVideoFrameCallback, notes the first frame after `connectAt`, and
 * while recording decodes the timestamp code from every presented frame.
 */
export function installVideoProbe(): void {
  const g = globalThis as any;
  const kit = g.__tsCode;
  const now = () => performance.timeOrigin + performance.now();
  const st: ProbeState = { connectAt: null, firstFrameAt: null, firstFrameSize: null, recording: false, frames: [], presented: 0, undecodable: 0, lastCode: -1, moves: [], pcs: [], screenWidth: 1280 };
  g.__bench = st;
  const Original = g.RTCPeerConnection;
  if (Original) {
    const Tracked = function (this: unknown, ...args: unknown[]) {
      const pc = new Original(...args);
      st.pcs.push(pc);
      return pc;
    };
    Tracked.prototype = Original.prototype;
    Object.setPrototypeOf(Tracked, Original);
    g.RTCPeerConnection = Tracked;
  }
  const canvas = new OffscreenCanvas(32, 32);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const toEpoch = (x: unknown) => (typeof x === 'number' ? performance.timeOrigin + x : null);
  const onFrame = (v: HTMLVideoElement, at: number, md: any) => {
    const t = performance.timeOrigin + at;
    if (st.connectAt !== null && st.firstFrameAt === null && t > st.connectAt) {
      st.firstFrameAt = t;
      st.firstFrameSize = [md.width, md.height];
    }
    if (!st.recording) return;
    st.presented++;
    const scale = md.width / st.screenWidth;
    ctx.drawImage(v, 0, 0, 32 * scale, 32 * scale, 0, 0, 32, 32);
    const code = kit.read(ctx.getImageData(0, 0, 32, 32).data, 32, 32);
    if (code === null) {
      st.undecodable++;
      return;
    }
    if (code === st.lastCode) return;
    st.lastCode = code;
    st.frames.push({ t, code, age: kit.age(code, t), w: md.width, h: md.height, receiveTime: toEpoch(md.receiveTime), captureTime: toEpoch(md.captureTime) });
  };
  const attached = new WeakSet<HTMLVideoElement>();
  setInterval(() => {
    const v = document.querySelector<HTMLVideoElement>('video[data-testid="remote-video"]');
    if (!v || attached.has(v)) return;
    attached.add(v);
    const cb = (at: number, md: unknown) => {
      onFrame(v, at, md);
      v.requestVideoFrameCallback(cb);
    };
    v.requestVideoFrameCallback(cb);
  }, 5);
  window.addEventListener('mousemove', (e) => st.moves.push({ t: now(), x: e.clientX, y: e.clientY }), { capture: true, passive: true });
}

/** What the requester page records (`globalThis.__consent`). */
export interface ConsentState {
  enabled: boolean;
  shown: { kind: string; t: number }[];
  answered: { kind: string; t: number }[];
  pcs: RTCPeerConnection[];
}

/**
 * The requester page's init script: answers every consent prompt "Yes" the moment it appears (an
 * instant human, so connect time measures the machines) and records when; tracks peer connections.
 */
export function installAutoConsent(): void {
  const g = globalThis as any;
  const now = () => performance.timeOrigin + performance.now();
  const st: ConsentState = { enabled: true, shown: [], answered: [], pcs: [] };
  g.__consent = st;
  const Original = g.RTCPeerConnection;
  if (Original) {
    const Tracked = function (this: unknown, ...args: unknown[]) {
      const pc = new Original(...args);
      st.pcs.push(pc);
      return pc;
    };
    Tracked.prototype = Original.prototype;
    Object.setPrototypeOf(Tracked, Original);
    g.RTCPeerConnection = Tracked;
  }
  const seen = new WeakSet<Element>();
  const check = () => {
    const d = document.querySelector('[data-testid="consent-dialog"]');
    if (!d || seen.has(d)) return;
    seen.add(d);
    const kind = d.getAttribute('data-kind') ?? '?';
    st.shown.push({ kind, t: now() });
    if (!st.enabled) return;
    (d.querySelector('[data-testid="consent-yes"]') as HTMLButtonElement | null)?.click();
    st.answered.push({ kind, t: now() });
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-kind'] });
}

/**
 * WebRTC video figures from a page's peer connections (runs in the page): the encoder's or
 * decoder's view — fps, resolution, qp, per-frame encode/decode time, drops, quality limits.
 */
export async function collectRtcStats(which: 'helper' | 'requester'): Promise<Record<string, unknown>[]> {
  const g = globalThis as any;
  const pcs: RTCPeerConnection[] = (which === 'helper' ? g.__bench?.pcs : g.__consent?.pcs) ?? [];
  const out: Record<string, unknown>[] = [];
  for (const pc of pcs) {
    if (pc.connectionState === 'closed') continue;
    const report = await pc.getStats();
    report.forEach((s: any) => {
      if ((s.type === 'inbound-rtp' || s.type === 'outbound-rtp') && s.kind === 'video') out.push({ ...s });
      if (s.type === 'codec') out.push({ type: 'codec', id: s.id, mimeType: s.mimeType });
      if (s.type === 'candidate-pair' && s.nominated) out.push({ type: 'candidate-pair', currentRoundTripTime: s.currentRoundTripTime, availableOutgoingBitrate: s.availableOutgoingBitrate });
      if (s.type === 'media-source' && s.kind === 'video') out.push({ ...s });
    });
  }
  return out;
}
