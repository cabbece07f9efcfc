// Frame rate and glass-to-glass latency of our screen video, read from the pixels the helper's
// page presents: each new timestamp code is one new frame, its age when presented is the latency.
// WebRTC's own figures (encoder and decoder time per frame, qp, drops, what limits quality) are
// read from getStats before and after the window, so a miss can be traced to where time goes.
import type { Page } from '@playwright/test';
import { collectRtcStats, type PatternState, type ProbeFrame, type ProbeState } from './page-scripts';
import { median } from './stats';
import type { Rig } from './rig';

/** What WebRTC said about the window (per frame means over the window). */
export interface RtcFigures {
  encoder: string | null;
  decoder: string | null;
  codec: string | null;
  capturedFps: number | null;
  encodedFps: number | null;
  encodeMsPerFrame: number | null;
  encodeQp: number | null;
  qualityLimitation: string | null;
  /** Seconds the encoder spent limited by cpu / bandwidth during the window. */
  limitedByCpuS: number | null;
  limitedByBandwidthS: number | null;
  sentKbps: number | null;
  targetKbps: number | null;
  decodedFps: number | null;
  decodeMsPerFrame: number | null;
  jitterBufferMs: number | null;
  framesDropped: number | null;
  sentSize: string | null;
  receivedSize: string | null;
}

/** One measuring window of our video. */
export interface VideoSample {
  mode: PatternState['mode'];
  seconds: number;
  /** New frames per second presented by the helper page. */
  fps: number;
  latencies: number[];
  undecodable: number;
  /** The pattern page's own paint rate (what the screen offered). */
  sourceFps: number;
  /** Medians of the rVFC breakdown where Chromium provides it (paint → capture → receive → present). */
  paintToCaptureMs: number | null;
  captureToReceiveMs: number | null;
  receiveToPresentMs: number | null;
  frameSizes: Record<string, number>;
  rtc: RtcFigures;
}

type Stat = Record<string, unknown>;
const num = (s: Stat | undefined, k: string) => (s && typeof s[k] === 'number' ? (s[k] as number) : null);
const delta = (a: Stat | undefined, b: Stat | undefined, k: string) => {
  const x = num(a, k);
  const y = num(b, k);
  return x === null || y === null ? null : y - x;
};
const per = (n: number | null, d: number | null, f = 1) => (n === null || !d ? null : (n / d) * f);

function rtcFigures(req0: Stat[], req1: Stat[], hel0: Stat[], hel1: Stat[], seconds: number): RtcFigures {
  const out = (l: Stat[]) => l.find((s) => s.type === 'outbound-rtp');
  const inb = (l: Stat[]) => l.find((s) => s.type === 'inbound-rtp');
  const src = req1.find((s) => s.type === 'media-source');
  const [o0, o1, i0, i1] = [out(req0), out(req1), inb(hel0), inb(hel1)];
  const encoded = delta(o0, o1, 'framesEncoded');
  const decoded = delta(i0, i1, 'framesDecoded');
  const lim = (k: string, a?: Stat, b?: Stat) => {
    const da = (a?.qualityLimitationDurations as Record<string, number> | undefined)?.[k];
    const db = (b?.qualityLimitationDurations as Record<string, number> | undefined)?.[k];
    return da === undefined || db === undefined ? null : db - da;
  };
  const codecId = o1?.codecId;
  const codec = req1.find((s) => s.type === 'codec' && s.id === codecId);
  return {
    encoder: (o1?.encoderImplementation as string) ?? null,
    decoder: (i1?.decoderImplementation as string) ?? null,
    codec: (codec?.mimeType as string) ?? null,
    capturedFps: num(src, 'framesPerSecond'),
    encodedFps: per(encoded, seconds),
    encodeMsPerFrame: per(delta(o0, o1, 'totalEncodeTime'), encoded, 1000),
    encodeQp: per(delta(o0, o1, 'qpSum'), encoded),
    qualityLimitation: (o1?.qualityLimitationReason as string) ?? null,
    limitedByCpuS: lim('cpu', o0, o1),
    limitedByBandwidthS: lim('bandwidth', o0, o1),
    sentKbps: per(delta(o0, o1, 'bytesSent'), seconds, 8 / 1000),
    targetKbps: per(num(o1, 'targetBitrate'), 1, 1 / 1000),
    decodedFps: per(decoded, seconds),
    decodeMsPerFrame: per(delta(i0, i1, 'totalDecodeTime'), decoded, 1000),
    jitterBufferMs: per(delta(i0, i1, 'jitterBufferDelay'), delta(i0, i1, 'jitterBufferEmittedCount'), 1000),
    framesDropped: delta(i0, i1, 'framesDropped'),
    sentSize: o1 ? `${num(o1, 'frameWidth')}x${num(o1, 'frameHeight')}` : null,
    receivedSize: i1 ? `${num(i1, 'frameWidth')}x${num(i1, 'frameHeight')}` : null,
  };
}

const probe = (page: Page) => page.evaluate(() => (globalThis as unknown as { __bench: ProbeState }).__bench);

/**
 * Sets the pattern to `mode`, lets the video settle for `warmMs` (WebRTC starts at a low bitrate
 * and resolution and ramps up), then records for `windowMs`. `during` runs alongside the window
 * (the resource sampler) and its result is returned with the sample.
 */
export async function measureVideo<T>(rig: Rig, mode: PatternState['mode'], warmMs: number, windowMs: number, during: () => () => T): Promise<{ sample: VideoSample; during: T }> {
  await rig.setPattern(mode);
  await new Promise((r) => setTimeout(r, warmMs));
  const req0 = await rig.requester.page.evaluate(collectRtcStats, 'requester' as const);
  const hel0 = await rig.helper.page.evaluate(collectRtcStats, 'helper' as const);
  const painted0 = await rig.pattern.page.evaluate(() => (globalThis as unknown as { __pattern: PatternState }).__pattern.painted);
  await rig.helper.page.evaluate(() => {
    const b = (globalThis as unknown as { __bench: ProbeState }).__bench;
    Object.assign(b, { recording: true, frames: [], presented: 0, undecodable: 0 });
  });
  const t0 = performance.now();
  const stopDuring = during();
  await new Promise((r) => setTimeout(r, windowMs));
  const duringResult = stopDuring();
  await rig.helper.page.evaluate(() => void ((globalThis as unknown as { __bench: ProbeState }).__bench.recording = false));
  const seconds = (performance.now() - t0) / 1000;
  const painted1 = await rig.pattern.page.evaluate(() => (globalThis as unknown as { __pattern: PatternState }).__pattern.painted);
  const req1 = await rig.requester.page.evaluate(collectRtcStats, 'requester' as const);
  const hel1 = await rig.helper.page.evaluate(collectRtcStats, 'helper' as const);
  const p = await probe(rig.helper.page);
  const frames: ProbeFrame[] = p.frames;
  const sizes: Record<string, number> = {};
  for (const f of frames) sizes[`${f.w}x${f.h}`] = (sizes[`${f.w}x${f.h}`] ?? 0) + 1;
  const part = (get: (f: ProbeFrame) => number | null) => {
    const xs = frames.map(get).filter((x): x is number => x !== null && Number.isFinite(x));
    return xs.length ? median(xs) : null;
  };
  return {
    sample: {
      mode,
      seconds,
      fps: frames.length / seconds,
      latencies: frames.map((f) => f.age),
      undecodable: p.undecodable,
      sourceFps: (painted1 - painted0) / seconds,
      paintToCaptureMs: part((f) => (f.captureTime === null ? null : f.captureTime - (f.t - f.age))),
      captureToReceiveMs: part((f) => (f.captureTime === null || f.receiveTime === null ? null : f.receiveTime - f.captureTime)),
      receiveToPresentMs: part((f) => (f.receiveTime === null ? null : f.t - f.receiveTime)),
      frameSizes: sizes,
      rtc: rtcFigures(req0, req1, hel0, hel1, seconds),
    },
    during: duringResult,
  };
}
