// `npm run bench` (through scripts/bench.mjs, which enters the network namespace): runs the rounds,
// prints the table and the targets, writes bench/results.json. See bench/README.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { fileRound, prepareSource, type FileRound } from './file-bench';
import { formatReport } from './report';
import { runRound, type RoundPlan, type RoundResult } from './round';
import { startSshd } from './sshd';
import { summarise } from './summary';
import { withDescendants } from './proc-sampler';

const USAGE = `Usage: npm run bench -- [options]

  --rounds N          repeat every figure N times on fresh processes (default 3)
  --connects N        connects per round (default 10)
  --input-events N    pointer moves per round (default 250)
  --video-seconds S   measuring window for frame rate and latency (default 8)
  --file-mib N        file size for the throughput figures (default 256)
  --no-vnc            skip the x11vnc comparison
  --no-files          skip the file figures
  --no-screen         skip everything but the file figures
  --profile           write CPU profiles of the requester's host to bench/.work/profiles
  --no-build          (scripts/bench.mjs) do not rebuild the page first
  --quick             one round, 3 connects, 100 moves, 4 s windows, 64 MiB: a smoke run`;

const benchDir = import.meta.dirname;
const workDir = path.join(benchDir, '.work');

function version(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').find((l) => l.trim())?.trim() ?? 'unknown';
}

function loadavg(): number {
  return Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string' },
      connects: { type: 'string' },
      'input-events': { type: 'string' },
      'video-seconds': { type: 'string' },
      'file-mib': { type: 'string' },
      'no-vnc': { type: 'boolean' },
      'no-files': { type: 'boolean' },
      'no-screen': { type: 'boolean' },
      'no-build': { type: 'boolean' },
      profile: { type: 'boolean' },
      quick: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const quick = !!values.quick;
  const int = (v: string | undefined, d: number) => (v === undefined ? d : Math.max(1, Math.round(Number(v)) || d));
  const rounds = int(values.rounds, quick ? 1 : 3);
  const fileBytes = int(values['file-mib'], quick ? 64 : 256) * 1024 * 1024;
  const videoMs = int(values['video-seconds'], quick ? 4 : 8) * 1000;
  const plan: RoundPlan = {
    connects: int(values.connects, quick ? 3 : 10),
    inputEvents: int(values['input-events'], quick ? 100 : 250),
    videoMs,
    smallMs: Math.round(videoMs * 0.6),
    warmMs: 3000,
    xvfbMs: Math.round(videoMs / 2),
    vnc: !values['no-vnc'],
    profileDir: values.profile ? path.join(workDir, 'profiles') : null,
  };
  const started = Date.now();
  const env = {
    date: new Date().toISOString(),
    node: process.version,
    chromium: version('/usr/bin/chromium', ['--version']),
    x11vnc: version('x11vnc', ['-version']),
    ssh: version('ssh', ['-V']),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    loadavgAtStart: loadavg(),
    commit: (() => {
      try {
        return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
      } catch {
        return 'unknown';
      }
    })(),
  };
  console.log(`bench: ${rounds} round(s); ${env.cores} cores, load ${env.loadavgAtStart.toFixed(2)}; ${env.chromium}; ${env.x11vnc}`);
  if (env.loadavgAtStart > 1) console.log(`bench: the machine is busy (load ${env.loadavgAtStart.toFixed(2)} on ${env.cores} cores): expect noisy figures (see bench/README.md, "A quiet machine").`);
  fs.mkdirSync(workDir, { recursive: true });

  const roundResults: RoundResult[] = [];
  if (!values['no-screen']) {
    for (let i = 1; i <= rounds; i++) {
      console.log(`round ${i}/${rounds} (screen) — load ${loadavg().toFixed(2)}`);
      try {
        roundResults.push(await runRound(i, plan, workDir, (l) => console.log(l)));
      } catch (e) {
        console.log(`  ! round ${i} could not start: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  }
  const files: FileRound[] = [];
  if (!values['no-files']) {
    const fileDir = path.join(workDir, 'files');
    const source = prepareSource(fileDir, fileBytes);
    const sshd = await startSshd(path.join(fileDir, 'sshd'));
    try {
      for (let i = 1; i <= rounds; i++) {
        console.log(`round ${i}/${rounds} (files, ${fileBytes / 1024 / 1024} MiB) — load ${loadavg().toFixed(2)}`);
        try {
          const f = await fileRound(fileDir, source, fileBytes, sshd);
          files.push(f);
          console.log(`  raw ${f.rawMBps.toFixed(0)}, link ${f.linkMBps.toFixed(0)}, scp ${f.scpDefaultMBps.toFixed(0)} / ${f.scpAesMBps.toFixed(0)} MB/s`);
        } catch (e) {
          console.log(`  ! files: ${(e as Error).message.split('\n')[0]}`);
        }
      }
    } finally {
      await sshd.stop();
      fs.rmSync(source, { force: true });
    }
  }

  const summary = summarise(roundResults, files);
  const minutes = (Date.now() - started) / 60000;
  const header = [
    '',
    `Remote Assist bench — ${env.date}, commit ${env.commit}`,
    `${env.cpu}, ${env.cores} cores, ${env.memoryGiB} GiB; ${env.chromium}; ${env.x11vnc}; ${env.ssh}`,
    `Load average: ${env.loadavgAtStart.toFixed(2)} at start, ${loadavg().toFixed(2)} at end; ${rounds} round(s), ${minutes.toFixed(1)} min`,
  ];
  console.log(formatReport(summary, header));
  const out = path.join(benchDir, 'results.json');
  fs.writeFileSync(out, JSON.stringify({ env: { ...env, loadavgAtEnd: loadavg(), minutes }, plan: { ...plan, rounds, fileBytes }, summary, rounds: roundResults, files }, null, 1));
  console.log(`\nbench: wrote ${path.relative(process.cwd(), out)}`);
  if (plan.profileDir) console.log(`bench: CPU profiles of the requester's host in ${path.relative(process.cwd(), plan.profileDir)} (open in Chrome DevTools → Performance)`);
  return 0;
}

// Interrupted (Ctrl-C, a timeout, a closed terminal): stop what this run started — hosts and Xvfb are our children
// but would outlive us otherwise. Only our own descendants are signalled.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    console.error(`bench: ${signal}: stopping the processes this run started`);
    for (const pid of withDescendants([process.pid]).filter((p) => p !== process.pid)) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`bench: ${(e as Error).stack ?? String(e)}`);
    process.exit(1);
  },
);
