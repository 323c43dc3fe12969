import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { type Analysis, analyse } from '../../analyse.js';
import { inputsFolder } from '../../config/settings.js';
import { walkSteps, type WalkContext } from '../../framework/walk.js';
import { outputName } from '../../report/paths.js';
import { makeChalk, renderSteps } from '../../report/terminal.js';
import { addInputOptions, type InputOptions, settingsFrom } from '../inputs.js';
import { SURVEY_FOLDER } from './survey.js';

export function stepsCommand(): Command {
  return addInputOptions(new Command('steps'))
    .description('the walk through the 10 steps of the Keep it Local approach: where this project stands on each, its evidence, and the next thing to do as a command')
    .option('--json', 'print the steps as JSON')
    .action(async (projectFile: string | undefined, raw: InputOptions & { json?: boolean }) => {
      const settings = await settingsFrom(projectFile, raw);
      const analysis = await analyse(settings, { allowNoArea: true });
      const steps = walkSteps(analysis, walkContext(analysis, projectFile));
      if (raw.json) process.stdout.write(`${JSON.stringify({ schemaVersion: 1, steps }, null, 2)}\n`);
      else process.stdout.write(`${renderSteps(steps, makeChalk(process.stdout))}\n`);
    });
}

/** What the walk's commands need to know of the project on disk. */
export function walkContext(analysis: Analysis, projectFile: string | undefined): WalkContext {
  const folder = inputsFolder(projectFile);
  const { settings } = analysis;
  return {
    project: projectFile === undefined ? undefined : outputName(projectFile),
    register: outputName(settings.suppliers ?? join(folder, 'suppliers.csv')),
    formsWritten: existsSync(join(folder, SURVEY_FOLDER)),
    returns: {
      supplier: settings.supplierSurvey === undefined ? undefined : `${outputName(settings.supplierSurvey)}/`.replace(/\.(csv|xlsx)\/$/i, '.$1'),
      staff: settings.staffSurvey === undefined ? undefined : `${outputName(settings.staffSurvey)}/`.replace(/\.(csv|xlsx)\/$/i, '.$1'),
    },
  };
}
