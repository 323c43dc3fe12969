import { Command, CommanderError } from 'commander';
import { UserError } from '../errors.js';
import { TOOL } from '../version.js';
import { batchCommand } from './commands/batch.js';
import { checkCommand } from './commands/check.js';
import { compareCommand } from './commands/compare.js';
import { demoCommand } from './commands/demo.js';
import { geoCommand } from './commands/geo.js';
import { initCommand } from './commands/init.js';
import { frameworkCommand } from './commands/framework.js';
import { runCommand } from './commands/run.js';
import { schemaCommand } from './commands/schema.js';
import { stepsCommand } from './commands/steps.js';
import { suppliersCommand } from './commands/suppliers.js';
import { surveyCommand } from './commands/survey.js';
import { mark } from '../timings.js';

export function buildProgram(): Command {
  const program = new Command('local-impact')
    .description("Measure how much of an organisation's money stays in its local economy: local spend, leakage and LM3 (NEF), following the Keep it Local approach.")
    .version(TOOL.version)
    .showSuggestionAfterError();
  program.addCommand(initCommand());
  program.addCommand(runCommand());
  program.addCommand(batchCommand());
  program.addCommand(checkCommand());
  program.addCommand(compareCommand());
  program.addCommand(stepsCommand());
  program.addCommand(suppliersCommand());
  program.addCommand(surveyCommand());
  program.addCommand(demoCommand());
  program.addCommand(schemaCommand());
  program.addCommand(geoCommand());
  program.addCommand(frameworkCommand());
  // Every command, however deep (geo import, geo lookup), throws rather than exits, so main() decides the status.
  const overrideExit = (command: Command): void => {
    command.exitOverride();
    command.commands.forEach(overrideExit);
  };
  overrideExit(program);
  return program;
}

/** A closed pipe on stdout (`… | head`) ends the run quietly; any other stdout error is thrown. */
function endOnClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
}

/**
 * The one place where errors become messages and exit statuses: a user's mistake gets one clear message,
 * a bug gets a short apology and, with --debug, its stack trace.
 */
export async function main(argv: readonly string[]): Promise<number> {
  mark('loaded');
  // `local-impact … | head`: the reader has what it wanted; stop quietly, not with a stack trace. Once per process.
  if (!process.stdout.listeners('error').includes(endOnClosedPipe)) process.stdout.on('error', endOnClosedPipe);
  const debug = argv.includes('--debug') || process.env.LOCAL_IMPACT_DEBUG === '1';
  try {
    await buildProgram().parseAsync(argv as string[]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (or the help/version text). Its own errors exit 1,
      // but an unknown option, a missing argument or no command at all is a command-line error: 2.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UserError) {
      process.stderr.write(`local-impact: ${error.message}\n`);
      if (error.options.hint) process.stderr.write(`${error.options.hint}\n`);
      if (debug) process.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    process.stderr.write(`local-impact: unexpected error: ${(error as Error)?.message ?? String(error)}\n`);
    process.stderr.write(debug ? `${(error as Error)?.stack}\n` : 'This is a bug. Run again with --debug for details, and report it with them.\n');
    return 70;
  }
}
