import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { dirname, extname, join, resolve } from 'node:path';

/**
 * Every file the tool writes (the report, the register, the imported postcode directory) is written whole or
 * not at all: to a hidden temporary file beside it, then renamed over it. A run killed mid-write leaves only
 * that temporary file; its name carries the writer's process id so that a later run writing into the same
 * folder can tell an abandoned one (old, its writer gone) from one still being written, and remove it.
 */
const PREFIX = '.local-impact-tmp-';
const TEMPORARY = /^\.local-impact-tmp-(\d+)-[0-9a-f]+(\.[A-Za-z0-9]+)?$/;

/** A temporary file younger than this is never removed, whoever wrote it: writing one takes seconds. */
export const STALE_AFTER_MS = 60 * 60 * 1000;

/** `.local-impact-tmp-<pid>-<hex><ext>` beside `path`. */
export function temporaryFor(path: string): string {
  return join(dirname(path), `${PREFIX}${process.pid}-${randomBytes(6).toString('hex')}${extname(path)}`);
}

/** Writes `data` to `path` whole or not at all (see above). */
export async function writeWhole(path: string, data: string | Uint8Array): Promise<void> {
  await writeAllWhole([{ path, data }]);
}

/** What is written: text or bytes, or text made piece by piece (a file too large to hold as one string). */
export type WholeData = string | Uint8Array | AsyncIterable<string>;

/** Several files that belong together: every one is written before any is renamed into place. */
export async function writeAllWhole(files: readonly { path: string; data: WholeData }[]): Promise<void> {
  for (const folder of new Set(files.map((file) => dirname(resolve(file.path))))) await removeStaleTemporaries(folder);
  const temporaries: string[] = [];
  try {
    for (const file of files) {
      const temporary = temporaryFor(file.path);
      temporaries.push(temporary);
      if (typeof file.data === 'string' || file.data instanceof Uint8Array) await writeFile(temporary, file.data, { flag: 'wx' });
      else await pipeline(Readable.from(file.data), createWriteStream(temporary, { flags: 'wx' }));
    }
    for (const [i, file] of files.entries()) await rename(temporaries[i]!, file.path);
  } catch (error) {
    // A failure to tidy up must not hide why the write failed.
    await Promise.all(temporaries.map((temporary) => rm(temporary, { force: true }).catch(() => undefined)));
    throw error;
  }
}

/**
 * Removes the temporary files in `folder` that an earlier run abandoned: named by this tool with a process id,
 * at least an hour old, and their writer no longer running. Anything else, and anything it cannot be sure of,
 * is left alone; nothing here fails the write that called it. Returns the names removed.
 */
export async function removeStaleTemporaries(folder: string, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMPORARY.exec(name);
    if (!match) continue;
    const path = join(folder, name);
    try {
      const info = await lstat(path);
      if (!info.isFile() || now - info.mtimeMs < STALE_AFTER_MS || processRuns(Number(match[1]))) continue;
      await unlink(path);
      removed.push(name);
    } catch {
      // Gone already (another run tidied it), or not ours to remove: leave it.
    }
  }
  return removed;
}

/** Whether process `pid` may still be running: only "no such process" (ESRCH) says it is not. */
export function processRuns(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
