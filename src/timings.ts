/**
 * With LOCAL_IMPACT_TIMINGS=1, each phase of a run prints when it ended to stderr, in ms since the
 * process started (worker threads included, on the same clock): for performance work, next to `npm run bench`.
 */
const on = process.env.LOCAL_IMPACT_TIMINGS === '1';
// A worker thread has its own time origin; it reads the main thread's from the environment it inherits.
if (on && process.env.LOCAL_IMPACT_TIMINGS_ORIGIN === undefined) process.env.LOCAL_IMPACT_TIMINGS_ORIGIN = String(performance.timeOrigin);
const origin = Number(process.env.LOCAL_IMPACT_TIMINGS_ORIGIN);

export function mark(phase: string): void {
  if (on) process.stderr.write(`[timing] ${(performance.timeOrigin + performance.now() - origin).toFixed(0).padStart(6)} ms  ${phase}\n`);
}
