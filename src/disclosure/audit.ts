import { solve } from 'yalps';

/**
 * A disclosure audit in the way statistical agencies audit tables: every published figure is a linear
 * combination of atomic quantities (here, the pay of groups of staff, none below £0), with any part a reader
 * already knows left out, published to some precision. A reader who has every figure knows the atoms lie in
 * the set where each figure is within half its step of what was published; the least and the most a small
 * group's pay can be over that set (two linear programmes, solved with yalps) is the interval the reader can
 * determine it to. It is disclosed when that interval is within ±10% of it (by default).
 */

/** Atom id → coefficient. */
export type Terms = ReadonlyMap<string, number>;

export interface AuditFigure {
  id: string;
  /** The figure's dependence on the atoms; any part a reader already knows (supplier spend, the income) is left out. */
  terms: Terms;
  /**
   * What the reader learns of that dependence (pence): it lies in [min, max]. A figure to the penny gives its
   * value ± 0.5; a rounded ratio gives two one-sided bounds (see disclose.ts).
   */
  min: number;
  max: number;
}

export interface AuditTarget {
  id: string;
  terms: Terms;
  /** Its true value (pence), against which the tolerance is measured. */
  value: number;
}

/**
 * The least and most the target can be, given the figures (and every atom ≥ 0); undefined for an end the
 * figures leave open. An audit that cannot be solved is taken as showing the target exactly.
 */
export function determination(figures: readonly AuditFigure[], target: AuditTarget): { low: number | undefined; high: number | undefined } {
  // An atom no figure mentions is free: the target can be anything above its other parts.
  const mentioned = new Set<string>();
  for (const figure of figures) for (const [atom, a] of figure.terms) if (a !== 0) mentioned.add(atom);
  if ([...target.terms.keys()].some((atom) => !mentioned.has(atom))) return { low: undefined, high: undefined };
  const constraints = new Map<string, { min?: number; max?: number }>();
  figures.forEach((figure, k) => {
    if (figure.terms.size === 0) return;
    constraints.set(`f${k}`, { ...(Number.isFinite(figure.min) ? { min: figure.min } : {}), ...(Number.isFinite(figure.max) ? { max: figure.max } : {}) });
  });
  const variables = new Map<string, Map<string, number>>();
  for (const atom of mentioned) {
    const coefficients = new Map<string, number>([['target', target.terms.get(atom) ?? 0]]);
    figures.forEach((figure, k) => {
      const a = figure.terms.get(atom);
      if (a) coefficients.set(`f${k}`, a);
    });
    variables.set(atom, coefficients);
  }
  const end = (direction: 'minimize' | 'maximize'): number | undefined | 'unsolved' => {
    const solution = solve({ direction, objective: 'target', constraints, variables }, { precision: 1e-9, checkCycles: true });
    if (solution.status === 'optimal') return solution.result;
    if (solution.status === 'unbounded') return undefined;
    return 'unsolved';
  };
  const low = end('minimize');
  const high = end('maximize');
  if (low === 'unsolved' || high === 'unsolved') return { low: target.value, high: target.value };
  return { low, high };
}

export interface AuditFinding {
  target: string;
  /** Half the width of the interval the published figures pin it to (pence). */
  error: number;
}

/** Targets the figures pin to within `tolerance` of their value (10% by default). */
export function auditDisclosure(figures: readonly AuditFigure[], targets: readonly AuditTarget[], tolerance = 0.1): AuditFinding[] {
  const found: AuditFinding[] = [];
  for (const target of targets) {
    const { low, high } = determination(figures, target);
    if (low === undefined || high === undefined) continue;
    const error = (high - low) / 2;
    if (error <= tolerance * Math.abs(target.value) + 1e-6) found.push({ target: target.id, error });
  }
  return found;
}
