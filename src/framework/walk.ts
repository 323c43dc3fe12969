import type { Analysis } from '../analyse.js';
import { assessSteps, type StepStatus } from './assess.js';

/**
 * The walk: each step as assessed, with the next thing to do as a command that can be pasted. Only the
 * commands are decided here; the steps' statuses and evidence are assess.ts's.
 */
export interface WalkStep extends StepStatus {
  /** A command line that does (or tries) the next thing; undefined when the step is done or no command does it. */
  command?: string;
}

export interface WalkContext {
  /** The project file as the user typed it (relative to the working folder); undefined when there is none. */
  project: string | undefined;
  /** The register as `suppliers --out` should be given it: the project's, or a new file. */
  register: string;
  /** Whether the survey forms have been written (their folder exists). */
  formsWritten: boolean;
  /** Where the survey returns go, as the user would name the folders. */
  returns: { supplier: string | undefined; staff: string | undefined };
}

/** A word for a shell: quoted when it holds anything but safe characters. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `"${word.replace(/(["\\$`])/g, '\\$1')}"`;
}

export function walkSteps(analysis: Analysis, context: WalkContext): WalkStep[] {
  const { settings } = analysis;
  const p = context.project === undefined ? '' : ` ${shellWord(context.project)}`;
  const steps = assessSteps(analysis);
  const command = (step: StepStatus): string | undefined => {
    if (step.state === 'done') return undefined;
    switch (step.number) {
      case 1:
        if (settings.income === undefined || step.next.includes('income')) return `local-impact steps${p} --income <pounds>`;
        return settings.period ? undefined : `local-impact steps${p} --period 2024-25`;
      case 2:
        return `local-impact steps${p} --area "<postcode districts, or a council>"`;
      case 3:
        return settings.spend.length === 0 ? `local-impact check${p} --spend <payments.csv>` : settings.payroll ? undefined : `local-impact check${p} --payroll <payroll.csv>`;
      case 4:
      case 5:
        return `local-impact suppliers${p} --out ${shellWord(context.register)}`;
      case 6:
        return settings.payroll ? undefined : `local-impact check${p} --payroll <payroll.csv>`;
      case 7:
        return context.formsWritten ? `local-impact steps${p}` : `local-impact survey forms${p}`;
      case 8:
        return `local-impact run${p}`;
      default:
        return undefined;
    }
  };
  return steps.map((step) => {
    let next = step.next;
    if (step.number === 7 && step.state !== 'done' && analysis.lm3) {
      const where = [context.returns.supplier, context.returns.staff].filter((f): f is string => f !== undefined);
      next = context.formsWritten
        ? `Send the supplier forms (largest spend first) and the staff form; save the returns${where.length > 0 ? ` in ${where.join(' and ')}` : ''}, then run steps again.`
        : 'Write the survey forms for local suppliers and staff (Round 3 as NEF traces it).';
    }
    if (step.state !== 'done' && (step.number === 1 || step.number === 2) && command(step) !== undefined) next = `${next} Try it with the command, then write it into the project file.`;
    const line = command(step);
    return line === undefined ? { ...step, next } : { ...step, next, command: line };
  });
}
