// Loaded with NODE_OPTIONS=--import (Node refuses --cpu-prof there): profiles the whole process
// with the in-process inspector and writes a .cpuprofile into RA_BENCH_PROFILE_DIR at exit, for
// Chrome DevTools (Performance → Load profile). Used by `npm run bench -- --profile`.
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector';

const dir = process.env.RA_BENCH_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  // 100 µs: fine enough to see per-frame work, coarse enough not to slow the host down.
  session.post('Profiler.setSamplingInterval', { interval: 100 });
  session.post('Profiler.start');
  process.on('exit', () => {
    // The in-process session answers synchronously, so this still runs inside 'exit'.
    session.post('Profiler.stop', (err, result) => {
      if (err || !result) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `host-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
