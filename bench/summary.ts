// From rounds to figures, ratios and targets (the brief's list, DESIGN.md section 9).
import { check, ratio, roundFigure, sampledFigure, type Figure, type TargetResult } from './figures';
import type { FileRound } from './file-bench';
import type { RoundResult } from './round';
import type { VncSample } from './vnc-bench';

/** The bench's conclusions. */
export interface Summary {
  figures: Figure[];
  ratios: Record<string, number>;
  targets: TargetResult[];
  /** Facts a reader needs next to the figures (frame sizes, missed moves …). */
  notes: string[];
}

const vnc = (list: VncSample[], mode: 'full' | 'small') => list.find((s) => s.mode === mode);

/** Computes figures and targets. `screen` is the shared display's size. */
export function summarise(rounds: RoundResult[], files: FileRound[], screen = '1280x800'): Summary {
  const F = new Map<string, Figure>();
  const add = (f: Figure) => F.set(f.key, f);
  const per = <T>(get: (r: RoundResult) => T) => rounds.map(get);
  const nums = (xs: (number | null | undefined)[]) => xs.map((x) => (typeof x === 'number' ? x : Number.NaN));

  add(sampledFigure('connect.total', 'Connect → first frame', 'ms', per((r) => r.connects.map((c) => c.totalMs))));
  add(sampledFigure('connect.toPrompt', '  Connect → consent prompt shown', 'ms', per((r) => r.connects.map((c) => c.toPromptMs))));
  add(sampledFigure('connect.answerToFrame', '  consent answered → first frame', 'ms', per((r) => r.connects.map((c) => c.answerToFrameMs))));
  for (const mode of ['full', 'small'] as const) {
    const what = mode === 'full' ? 'full-screen motion' : 'small motion';
    add(roundFigure(`ours.${mode}.fps`, `Ours: frame rate, ${what}`, 'fps', nums(per((r) => r.video[mode]?.fps))));
    add(sampledFigure(`ours.${mode}.g2g`, `Ours: glass-to-glass, ${what}`, 'ms', per((r) => r.video[mode]?.latencies ?? [])));
    add(roundFigure(`xvfb.${mode}.fps`, `Screen (Xvfb) frame rate, ${what}`, 'fps', nums(per((r) => r.xvfb[mode]?.fps))));
    add(sampledFigure(`xvfb.${mode}.paint`, `Chromium paint → pixels in Xvfb, ${what}`, 'ms', per((r) => r.xvfb[mode]?.latencies ?? [])));
    for (const [name, get] of [
      ['default', (r: RoundResult) => vnc(r.vncDefault, mode)],
      ['tuned', (r: RoundResult) => vnc(r.vncTuned, mode)],
    ] as const) {
      add(roundFigure(`vnc.${name}.${mode}.fps`, `x11vnc ${name}: frame rate, ${what}`, 'fps', nums(per((r) => get(r)?.fps))));
      add(sampledFigure(`vnc.${name}.${mode}.g2g`, `x11vnc ${name}: glass-to-glass, ${what}`, 'ms', per((r) => get(r)?.latencies ?? [])));
      add(roundFigure(`vnc.${name}.${mode}.mbps`, `x11vnc ${name}: bytes on the wire, ${what}`, 'MB/s', nums(per((r) => get(r)?.mbps))));
      add(roundFigure(`vnc.${name}.${mode}.cpu`, `x11vnc ${name}: server CPU, ${what}`, '% core', nums(per((r) => get(r)?.server.cpuPercent))));
    }
  }
  add(sampledFigure('input.latency', 'Input: helper move → pointer on requester screen', 'ms', per((r) => r.input?.latencies ?? [])));
  add(roundFigure('use.cpu', 'Requester CPU while sharing (host + Chromium)', '% core', nums(per((r) => r.requesterUse?.cpuPercent))));
  add(roundFigure('use.pss', 'Requester memory while sharing (PSS)', 'MB', nums(per((r) => r.requesterUse?.pssMb))));
  add(roundFigure('use.rss', 'Requester memory while sharing (RSS sum)', 'MB', nums(per((r) => r.requesterUse?.rssMb))));
  add(roundFigure('use.patternCpu', 'Pattern page (the workload) CPU', '% core', nums(per((r) => r.patternUse?.cpuPercent))));
  add(roundFigure('rtc.encodeMs', 'Our encoder time per frame (full motion)', 'ms', nums(per((r) => r.video.full?.rtc.encodeMsPerFrame))));
  add(roundFigure('rtc.decodeMs', 'Helper decoder time per frame (full motion)', 'ms', nums(per((r) => r.video.full?.rtc.decodeMsPerFrame))));
  add(roundFigure('rtc.jitterMs', 'Helper jitter buffer per frame (full motion)', 'ms', nums(per((r) => r.video.full?.rtc.jitterBufferMs))));
  add(roundFigure('rtc.kbps', 'Video bitrate (full motion)', 'kbit/s', nums(per((r) => r.video.full?.rtc.sentKbps))));
  add(roundFigure('rtc.qp', 'Encoder qp (full motion)', 'qp', nums(per((r) => r.video.full?.rtc.encodeQp))));
  add(roundFigure('files.raw', 'Raw loopback TCP', 'MB/s', files.map((f) => f.rawMBps)));
  add(roundFigure('files.linkOnly', 'The link alone (AES-GCM records, no files/hash/disk)', 'MB/s', files.map((f) => f.linkOnlyMBps)));
  add(roundFigure('files.link', 'Our file transfer, send → complete (256 MiB)', 'MB/s', files.map((f) => f.linkMBps)));
  add(roundFigure('files.linkStream', '  streaming phase only', 'MB/s', files.map((f) => f.linkStreamMBps)));
  add(roundFigure('files.scpDefault', 'scp, default cipher (wall)', 'MB/s', files.map((f) => f.scpDefaultMBps)));
  add(roundFigure('files.scpDefaultNet', '  without ssh login time', 'MB/s', files.map((f) => f.scpDefaultNetMBps)));
  add(roundFigure('files.scpAes', 'scp, aes128-gcm (wall)', 'MB/s', files.map((f) => f.scpAesMBps)));
  add(roundFigure('files.scpAesNet', '  without ssh login time', 'MB/s', files.map((f) => f.scpAesNetMBps)));
  for (const [k, label] of [
    ['raw', 'raw TCP'],
    ['linkOnly', 'the link alone'],
    ['files', 'our file transfer'],
    ['scpDefault', 'scp default'],
    ['scpAes', 'scp aes128-gcm'],
  ] as const) {
    add(roundFigure(`cpu.${k}`, `CPU per file, ${label} (sender + receiver)`, 'ms', files.map((f) => f.cpuMs[k].sender + f.cpuMs[k].receiver)));
  }

  const m = (k: string) => F.get(k)?.median ?? Number.NaN;
  const ratios: Record<string, number> = {
    'fps ours/x11vnc default (full)': ratio(m('ours.full.fps'), m('vnc.default.full.fps')),
    'fps ours/x11vnc tuned (full)': ratio(m('ours.full.fps'), m('vnc.tuned.full.fps')),
    'g2g ours/x11vnc default (full)': ratio(m('ours.full.g2g'), m('vnc.default.full.g2g')),
    'g2g ours/x11vnc tuned (full)': ratio(m('ours.full.g2g'), m('vnc.tuned.full.g2g')),
    'fps ours/x11vnc default (small)': ratio(m('ours.small.fps'), m('vnc.default.small.fps')),
    'g2g ours/x11vnc default (small)': ratio(m('ours.small.g2g'), m('vnc.default.small.g2g')),
    'fps ours/x11vnc tuned (small)': ratio(m('ours.small.fps'), m('vnc.tuned.small.fps')),
    'g2g ours/x11vnc tuned (small)': ratio(m('ours.small.g2g'), m('vnc.tuned.small.g2g')),
    'files link/raw TCP': ratio(m('files.link'), m('files.raw')),
    'files link/scp default': ratio(m('files.link'), m('files.scpDefault')),
    'files link/scp aes128-gcm': ratio(m('files.link'), m('files.scpAes')),
  };

  const sizes: Record<string, number> = {};
  for (const r of rounds) for (const [k, v] of Object.entries(r.video.full?.frameSizes ?? {})) sizes[k] = (sizes[k] ?? 0) + v;
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  const atSize = total ? (sizes[screen] ?? 0) / total : 0;
  const bestScp = Math.max(m('files.scpDefault'), m('files.scpAes'));
  const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
  const targets: TargetResult[] = [
    check('Connect → first frame ≤ 1.5 s (median)', m('connect.total'), 1500, 'max', `${f1(m('connect.total'))} ms`),
    // Only frames at full resolution count: a frame rate reached by shrinking the picture is not the target.
    check(`Frame rate ≥ 25 fps at ${screen} (full-screen motion)`, total ? m('ours.full.fps') * atSize : Number.NaN, 25, 'min', `${f1(m('ours.full.fps') * atSize)} fps at ${screen} (${f1(m('ours.full.fps'))} fps, ${(atSize * 100).toFixed(0)} % of frames at ${screen})`),
    check('Glass-to-glass ≤ 120 ms (median, full-screen motion)', m('ours.full.g2g'), 120, 'max', `${f1(m('ours.full.g2g'))} ms`),
    check('Input ≤ 30 ms (median)', m('input.latency'), 30, 'max', `${f1(m('input.latency'))} ms`),
    check('File throughput ≥ scp (best cipher)', m('files.link'), bestScp, 'min', `${f1(m('files.link'))} vs ${f1(bestScp)} MB/s`),
    check('File throughput ≥ 35 % of raw loopback TCP', m('files.link'), 0.35 * m('files.raw'), 'min', `${f1(m('files.link'))} vs ${f1(0.35 * m('files.raw'))} MB/s`),
    check('Frame rate ≥ x11vnc default (full motion)', m('ours.full.fps'), m('vnc.default.full.fps'), 'min', `${f1(m('ours.full.fps'))} vs ${f1(m('vnc.default.full.fps'))} fps`),
    check('Frame rate ≥ x11vnc tuned (full motion)', m('ours.full.fps'), m('vnc.tuned.full.fps'), 'min', `${f1(m('ours.full.fps'))} vs ${f1(m('vnc.tuned.full.fps'))} fps`),
    check('Latency ≤ x11vnc default (full motion)', m('ours.full.g2g'), m('vnc.default.full.g2g'), 'max', `${f1(m('ours.full.g2g'))} vs ${f1(m('vnc.default.full.g2g'))} ms`),
    check('Latency ≤ x11vnc tuned (full motion)', m('ours.full.g2g'), m('vnc.tuned.full.g2g'), 'max', `${f1(m('ours.full.g2g'))} vs ${f1(m('vnc.tuned.full.g2g'))} ms`),
    check('Frame rate ≥ x11vnc default (small motion)', m('ours.small.fps'), m('vnc.default.small.fps'), 'min', `${f1(m('ours.small.fps'))} vs ${f1(m('vnc.default.small.fps'))} fps`),
    check('Frame rate ≥ x11vnc tuned (small motion)', m('ours.small.fps'), m('vnc.tuned.small.fps'), 'min', `${f1(m('ours.small.fps'))} vs ${f1(m('vnc.tuned.small.fps'))} fps`),
    check('Latency ≤ x11vnc default (small motion)', m('ours.small.g2g'), m('vnc.default.small.g2g'), 'max', `${f1(m('ours.small.g2g'))} vs ${f1(m('vnc.default.small.g2g'))} ms`),
    check('Latency ≤ x11vnc tuned (small motion)', m('ours.small.g2g'), m('vnc.tuned.small.g2g'), 'max', `${f1(m('ours.small.g2g'))} vs ${f1(m('vnc.tuned.small.g2g'))} ms`),
  ];
  const notes: string[] = [];
  if (m('vnc.default.full.fps') > 60 || m('vnc.tuned.full.fps') > 60) {
    notes.push('Our capture asks for at most 60 fps (media-controller MAX_FRAME_RATE): frame-rate parity with an x11vnc above 60 fps is out of reach by design.');
  }
  if (total) notes.push(`Helper frame sizes (full motion): ${Object.entries(sizes).map(([k, v]) => `${k} ${((v / total) * 100).toFixed(0)} %`).join(', ')}`);
  for (const r of rounds) {
    if (r.input && r.input.missed) notes.push(`Round ${r.round}: ${r.input.missed} of ${r.input.sent} pointer moves never reached the requester's screen within 1 s`);
    const undec = (r.video.full?.undecodable ?? 0) + (r.video.small?.undecodable ?? 0);
    if (undec) notes.push(`Round ${r.round}: ${undec} presented frames had an unreadable timestamp code (blurred or torn)`);
    for (const e of r.errors) notes.push(`Round ${r.round} error: ${e}`);
  }
  return { figures: [...F.values()], ratios, targets, notes };
}
