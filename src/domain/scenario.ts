import type { MilliPercent } from './percent.js';

/**
 * A what-if for step 10 (plan improvement): what LM3 and leakage would be had some money gone another way.
 * Defined in the project file (`scenarios`) or on the command line in a compact form (`--scenario shift:10%`).
 */
export type Scenario = ShiftScenario | RecruitScenario | SurveyScenario;

/** Move a share of non-local supplier spend (all, one category, or named suppliers) to local suppliers. */
export interface ShiftScenario {
  kind: 'shift';
  name: string;
  share: MilliPercent;
  /** Only this ledger category (as the Categories sheet names it; case and spacing ignored). */
  category?: string;
  /** Only these suppliers (name as grouped, or supplier id). */
  suppliers?: string[];
  /** What the new local suppliers re-spend locally; else the rate of today's unsurveyed local suppliers. */
  respend?: MilliPercent;
}

/** Replace `posts` non-local posts with local ones at the same pay (the average pay of a non-local post). */
export interface RecruitScenario {
  kind: 'recruit';
  name: string;
  posts: number;
}

/** Change a Round 3 assumption: what local suppliers re-spend, or what local staff spend, locally. */
export interface SurveyScenario {
  kind: 'survey';
  name: string;
  supplierRespend?: MilliPercent;
  staffSpend?: MilliPercent;
}

/** The grammar of `--scenario`, for --help, the README and error messages. */
export const SCENARIO_GRAMMAR = [
  'shift:<share>%[:category=<category>|:supplier=<name>[|<name>…]][:respend=<rate>%]',
  'recruit:<posts>',
  'survey:staff=<rate>%[:suppliers=<rate>%]  or  survey:suppliers=<rate>%',
] as const;

/** Reads the compact form; returns the problem in words when it is not one. */
export function parseScenarioSpec(spec: string, parsePercent: (text: string) => MilliPercent | null): Scenario | string {
  const parts = spec.split(':').map((part) => part.trim());
  const kind = parts[0]!.toLowerCase();
  const percentOf = (text: string, what: string): MilliPercent | string => {
    const value = /%\s*$/.test(text) ? parsePercent(text) : null;
    return value ?? `${what} "${text}" is not a percentage from 0% to 100% (write the % sign, e.g. 10%)`;
  };
  const option = (part: string): [string, string] | undefined => {
    const at = part.indexOf('=');
    return at < 0 ? undefined : [part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim()];
  };
  if (kind === 'shift') {
    if (parts.length < 2 || parts[1] === '') return 'shift needs the share of non-local spend to move, e.g. shift:10%';
    const share = percentOf(parts[1]!, 'the share');
    if (typeof share === 'string') return share;
    const scenario: ShiftScenario = { kind: 'shift', name: spec, share };
    for (const part of parts.slice(2)) {
      const pair = option(part);
      if (!pair || pair[1] === '') return `"${part}" is not category=…, supplier=… or respend=…%`;
      const [key, value] = pair;
      if (key === 'category') scenario.category = value;
      else if (key === 'supplier' || key === 'suppliers') scenario.suppliers = value.split('|').map((s) => s.trim()).filter(Boolean);
      else if (key === 'respend') {
        const rate = percentOf(value, 'respend');
        if (typeof rate === 'string') return rate;
        scenario.respend = rate;
      } else return `"${key}" is not category, supplier or respend`;
    }
    if (scenario.category !== undefined && scenario.suppliers !== undefined) return 'shift takes category= or supplier=, not both';
    return scenario;
  }
  if (kind === 'recruit') {
    const posts = /^\d{1,6}$/.test(parts[1] ?? '') ? Number(parts[1]) : Number.NaN;
    if (!(posts > 0) || parts.length > 2) return 'recruit needs the number of non-local posts to fill locally, e.g. recruit:2';
    return { kind: 'recruit', name: spec, posts };
  }
  if (kind === 'survey') {
    const scenario: SurveyScenario = { kind: 'survey', name: spec };
    for (const part of parts.slice(1)) {
      const pair = option(part);
      if (!pair) return `"${part}" is not staff=…% or suppliers=…%`;
      const rate = percentOf(pair[1], pair[0]);
      if (typeof rate === 'string') return rate;
      if (pair[0] === 'staff') scenario.staffSpend = rate;
      else if (pair[0] === 'suppliers' || pair[0] === 'supplier') scenario.supplierRespend = rate;
      else return `"${pair[0]}" is not staff or suppliers`;
    }
    if (scenario.staffSpend === undefined && scenario.supplierRespend === undefined) return 'survey needs staff=…% or suppliers=…%, e.g. survey:staff=50%';
    return scenario;
  }
  return `"${parts[0]}" is not shift, recruit or survey`;
}
