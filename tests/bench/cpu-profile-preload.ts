/**
 * Loaded into every service with `NODE_OPTIONS=--require …/cpu-profile-preload.js` when the
 * benchmark runs with BENCH_CPU_PROF_DIR (node refuses --cpu-prof in NODE_OPTIONS). SIGUSR2 starts
 * the V8 CPU profiler; the next SIGUSR2 stops it and writes
 * `<BENCH_CPU_PROF_DIR>/<script>-<pid>-<n>.cpuprofile`. The benchmark signals the stack around the
 * booking rush, so the profile holds the rush and not start-up. Read it with profile-summary.js.
 */
import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  let profiling = false;
  let count = 0;
  const script = path.basename(path.dirname(path.dirname(process.argv[1] ?? 'node')));
  process.on('SIGUSR2', () => {
    if (!profiling) {
      profiling = true;
      session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')));
      return;
    }
    profiling = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      count += 1;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${script}-${process.pid}-${count}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
