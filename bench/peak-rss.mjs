// Preloaded into the tool's process by bench/run.mjs:
//   node --import ./bench/peak-rss.mjs bin/local-impact.js ...
// On exit it records the process's peak resident set size (getrusage maxrss,
// in kilobytes on Linux and macOS-via-libuv) to the file named by
// LOCAL_IMPACT_BENCH_RSS_FILE. Nothing is written if the variable is unset,
// so the preload is harmless outside the benchmark.
import { writeFileSync } from 'node:fs';

const target = process.env.LOCAL_IMPACT_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    try {
      writeFileSync(target, String(process.resourceUsage().maxRSS));
    } catch {
      // A failed measurement must never change the tool's exit status.
    }
  });
}
