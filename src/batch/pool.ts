import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { OrganisationResult, OrganisationTask } from './organisation.js';

/** The compiled worker: beside this module in dist/ (tsc) and in dist/bundle/ (the executable's bundle). */
const WORKER = new URL('./batch-worker.js', import.meta.url);

export interface OrganisationPool {
  run(task: OrganisationTask): Promise<OrganisationResult>;
  close(): Promise<void>;
  /** `threads` (piscina) or `in-process` (the sources, as tests run them). */
  kind: 'threads' | 'in-process';
}

/**
 * `jobs` organisations at a time. Each worker thread loads the tool once and then takes organisation after
 * organisation (piscina), so start-up and module loading are paid once per thread, not once per organisation.
 * Running from the sources (tests) there is no compiled worker: the same function runs in this thread, `jobs`
 * at a time, which is the same work in the same order of results.
 */
export async function openPool(jobs: number): Promise<OrganisationPool> {
  if (!existsSync(fileURLToPath(WORKER))) {
    const { batchOrganisation } = await import('./organisation.js');
    const queue = limiter(jobs);
    return { kind: 'in-process', run: (task) => queue(() => batchOrganisation(task)), close: async () => {} };
  }
  // Required, not imported: the executable's bundle runs in a vm script, which has no dynamic import().
  const { Piscina } = createRequire(import.meta.url)('piscina') as typeof import('piscina');
  const pool = new Piscina<OrganisationTask, OrganisationResult>({
    filename: WORKER.href,
    minThreads: jobs,
    maxThreads: jobs,
    // Tasks wait in the pool's queue, one running per thread: an organisation's peak memory is one thread's.
    concurrentTasksPerWorker: 1,
    idleTimeout: 60_000,
  });
  return { kind: 'threads', run: (task) => pool.run(task), close: () => pool.destroy() };
}

/** Runs at most `n` of the given functions at once, in the order asked. */
function limiter(n: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (running >= n) await new Promise<void>((go) => waiting.push(go));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
