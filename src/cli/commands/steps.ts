import { Command } from 'commander';
import { analyse } from '../../analyse.js';
import { assessSteps } from '../../framework/assess.js';
import { makeChalk, renderSteps } from '../../report/terminal.js';
import { addInputOptions, type InputOptions, settingsFrom } from '../inputs.js';

export function stepsCommand(): Command {
  return addInputOptions(new Command('steps'))
    .description('the 10 steps of the Keep it Local approach, with where this project stands on each and what to do next')
    .option('--json', 'print the steps as JSON')
    .action(async (projectFile: string | undefined, raw: InputOptions & { json?: boolean }) => {
      const settings = await settingsFrom(projectFile, raw);
      const analysis = await analyse(settings, { allowNoArea: true });
      const steps = assessSteps(analysis);
      if (raw.json) process.stdout.write(`${JSON.stringify({ schemaVersion: 1, steps }, null, 2)}\n`);
      else process.stdout.write(`${renderSteps(steps, makeChalk(process.stdout))}\n`);
    });
}
