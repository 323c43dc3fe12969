import * as nodePath from 'node:path';
import type { Analysis } from '../analyse.js';
import { inputsFolder } from '../config/settings.js';

/**
 * How an output names a file: relative to `folder`, with forward slashes on every platform (`../` when it
 * lies outside), never absolute, since an absolute path carries the user's name (`C:\Users\ann\…`). A file on
 * another drive has no relative path; it is named by its file name alone.
 */
export function pathFrom(folder: string, path: string, platform: nodePath.PlatformPath = nodePath): string {
  const relative = platform.relative(folder, platform.resolve(folder, path));
  if (relative === '' || platform.isAbsolute(relative)) return platform.basename(path);
  return relative.split(platform.sep).join('/');
}

/** An input file as outputs name it: from the project file's folder, or the working folder without one. */
export function inputName(path: string, projectFile: string | undefined): string {
  return pathFrom(inputsFolder(projectFile), path);
}

/** A file the tool wrote (the report, the register) as outputs name it: from the working folder. */
export function outputName(path: string): string {
  return pathFrom(process.cwd(), path);
}

/** The analysis as the renderers are to print it: every input named by `inputName`, not by the path it was read from. */
export function withInputsNamed(analysis: Analysis): Analysis {
  const inputs = analysis.inputs.map((input) => ({ ...input, source: { ...input.source, path: inputName(input.source.path, analysis.settings.projectFile) } }));
  return { ...analysis, inputs };
}
