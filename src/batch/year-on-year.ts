import { type Comparison, compareTwo } from '../compare/compare.js';
import type { EarlierOrganisation } from '../compare/load.js';
import { normaliseSupplierName } from '../domain/supplier.js';
import type { SummaryJson } from '../report/json.js';

/**
 * `batch --previous`: this batch's organisations set against an earlier batch's, each pair through `compareTwo`
 * (the comparison `compare` makes). An organisation is matched by its name as `compare` tells organisations
 * apart: case, spacing, punctuation, "&"/"and", a leading "The" and "Ltd"/"Limited" ignored; never by its slug,
 * which depends on the manifest's order. A renamed one is matched by the manifest's `formerly`. A name that
 * two organisations share in either batch is matched to neither, and said so: a guess would compare the wrong
 * organisation's figures.
 */
export type YearOnYearStatus =
  /** In both batches, with figures in both: `comparison` holds then / now / change. */
  | 'compared'
  /** Not in the earlier batch. */
  | 'new'
  /** In the earlier batch, not in this one. */
  | 'not in this batch'
  /** Failed in this batch: no figures to compare. */
  | 'failed now'
  /** Failed in the earlier batch. */
  | 'failed then'
  /** Its earlier summary cannot be compared (`problem`: an older schema version, an edited file). */
  | 'unreadable then'
  /** Its name (or `formerly`) matches more than one organisation in one of the batches. */
  | 'ambiguous';

export interface OrganisationYearOnYear {
  /** This batch's name; the earlier batch's for one not in this batch. */
  organisation: string;
  /** Its slug in this batch (null when not in it). */
  slug: string | null;
  /** Its name in the earlier batch (null when not matched). */
  then: string | null;
  /** Matched by `formerly` rather than by name. */
  renamed: boolean;
  status: YearOnYearStatus;
  problem: { code: string; message: string } | null;
  /** `compareTwo(now, then)`, as `compare --json` gives it; null unless compared. */
  comparison: Comparison | null;
}

export interface YearOnYear {
  /** The earlier batch.json, relative to the working folder. */
  previous: string;
  /** When the earlier batch ran. */
  previousGeneratedAt: string | null;
  counts: Record<YearOnYearStatus, number>;
  /** This batch's organisations in the manifest's order, then the earlier batch's not in this one. */
  organisations: OrganisationYearOnYear[];
}

export interface OrganisationNow {
  organisation: string;
  slug: string;
  /** The manifest's `formerly`. */
  formerly?: string;
  /** Its summary; null when it failed. */
  summary: SummaryJson | null;
}

/** The key two names match by. */
export const matchKey = (name: string): string => normaliseSupplierName(name);

export function yearOnYear(now: readonly OrganisationNow[], earlier: readonly EarlierOrganisation[], previous: string, previousGeneratedAt: string | null): YearOnYear {
  const byKey = new Map<string, EarlierOrganisation[]>();
  for (const e of earlier) byKey.set(matchKey(e.organisation), [...(byKey.get(matchKey(e.organisation)) ?? []), e]);
  const keysNow = now.map((o) => matchKey(o.formerly ?? o.organisation));
  const claimed = new Set<EarlierOrganisation>();
  const rows: OrganisationYearOnYear[] = now.map((o, i) => {
    const key = keysNow[i]!;
    const base = { organisation: o.organisation, slug: o.slug, renamed: false, problem: null, comparison: null };
    const candidates = byKey.get(key) ?? [];
    candidates.forEach((c) => claimed.add(c));
    if (candidates.length === 0) return { ...base, then: null, status: 'new' };
    if (candidates.length > 1 || keysNow.filter((k) => k === key).length > 1) return { ...base, then: null, status: 'ambiguous' };
    const then = candidates[0]!;
    const matched = { ...base, then: then.organisation, renamed: o.formerly !== undefined && matchKey(o.formerly) !== matchKey(o.organisation) };
    if (o.summary === null) return { ...matched, status: 'failed now' };
    if (then.failed) return { ...matched, status: 'failed then' };
    if (then.record === null) return { ...matched, status: 'unreadable then', problem: then.problem };
    const comparison = compareTwo(o.summary, then.record);
    // The manifest says a renamed organisation is the same one: its new name is no warning.
    if (matched.renamed) comparison.differences = comparison.differences.filter((d) => d.code !== 'ORGANISATION_DIFFERS');
    return { ...matched, status: 'compared', comparison };
  });
  for (const e of earlier) {
    if (!claimed.has(e)) rows.push({ organisation: e.organisation, slug: null, then: e.organisation, renamed: false, status: 'not in this batch', problem: null, comparison: null });
  }
  const counts = Object.fromEntries(STATUSES.map((status) => [status, rows.filter((r) => r.status === status).length])) as Record<YearOnYearStatus, number>;
  return { previous, previousGeneratedAt, counts, organisations: rows };
}

export const STATUSES: readonly YearOnYearStatus[] = ['compared', 'new', 'not in this batch', 'failed now', 'failed then', 'unreadable then', 'ambiguous'];
