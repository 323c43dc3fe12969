import type { GvaRow, Tenant } from '../domain/tenant.js';
import type { Pence } from '../money.js';

/**
 * Enabled contribution (method.md; the Keep it Local report's Appendix 2): the jobs in the organisation's tenants,
 * and the GVA they support, estimated as jobs (headcount, as ONS counts filled jobs) × GVA per job for the tenant's
 * industry in the region, from a table the user supplies with its source and year. Gross: nothing is taken off for
 * deadweight (jobs that would exist anyway) or displacement (jobs taken from elsewhere). Pure, exact pence.
 */
export type { GvaRow, Tenant };

export interface EnabledTenant extends Tenant {
  /** The table's industry row used (its industry as written), when one matched. */
  tableIndustry: string | undefined;
  gvaPerJob: Pence | undefined;
  /** Its GVA: its own, else jobs × GVA per job; undefined when neither is known. */
  gva: Pence | undefined;
  basis: 'own' | 'table' | 'none';
}

export interface EnabledContribution {
  region: string | undefined;
  tenants: EnabledTenant[];
  byIndustry: { industry: string; tenants: number; jobs: number; fte: number; gva: Pence }[];
  jobs: number;
  fte: number;
  localJobs: number;
  gva: Pence;
  /** Tenants whose GVA could not be estimated (no own GVA, industry not in the table). */
  withoutGva: number;
  /** The sources and years of the table rows used, for the report to print. */
  sources: string[];
}

/** How industries meet: case and spacing aside, and "CA (10-12)" also answers to "CA", "10-12" and "C10-12". */
export function industryKeys(industry: string): string[] {
  const flat = (text: string) => text.toLowerCase().replace(/\s+/g, '').replace(/[–—]/g, '-');
  const whole = flat(industry);
  const keys = new Set([whole]);
  const m = /^([a-z]+(?:-[a-z]+)?)?\(([^)]*)\)$/.exec(whole);
  if (m) {
    if (m[1]) keys.add(m[1]);
    keys.add(m[2]!);
    if (m[1]) keys.add(`${m[1][0]}${m[2]}`);
  }
  return [...keys];
}

export function measureEnabled(tenants: readonly Tenant[], table: readonly GvaRow[], region: string | undefined): EnabledContribution {
  const sameRegion = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
  const rows = region === undefined ? [] : table.filter((row) => sameRegion(row.region, region));
  const byKey = new Map<string, GvaRow>();
  for (const row of rows) for (const key of industryKeys(row.industry)) if (!byKey.has(key)) byKey.set(key, row);
  const used = new Set<GvaRow>();
  const enabled = tenants.map((tenant): EnabledTenant => {
    const row = tenant.industry === '' ? undefined : industryKeys(tenant.industry).map((key) => byKey.get(key)).find((r) => r !== undefined);
    if (row && tenant.ownGva === undefined) used.add(row);
    const estimate = row ? row.gvaPerJob * tenant.jobs : undefined;
    const gva = tenant.ownGva ?? estimate;
    return { ...tenant, tableIndustry: row?.industry, gvaPerJob: row?.gvaPerJob, gva, basis: tenant.ownGva !== undefined ? 'own' : row ? 'table' : 'none' };
  });
  const industries = new Map<string, EnabledContribution['byIndustry'][number]>();
  for (const t of enabled) {
    const name = t.tableIndustry ?? (t.industry || '(no industry)');
    let line = industries.get(name);
    if (!line) industries.set(name, (line = { industry: name, tenants: 0, jobs: 0, fte: 0, gva: 0 }));
    line.tenants++;
    line.jobs += t.jobs;
    line.fte += t.fte ?? 0;
    line.gva += t.gva ?? 0;
  }
  const round2 = (x: number) => Math.round(x * 100) / 100;
  return {
    region,
    tenants: enabled,
    byIndustry: [...industries.values()].map((l) => ({ ...l, fte: round2(l.fte) })).sort((a, b) => b.gva - a.gva || a.industry.localeCompare(b.industry)),
    jobs: enabled.reduce((n, t) => n + t.jobs, 0),
    fte: round2(enabled.reduce((n, t) => n + (t.fte ?? 0), 0)),
    localJobs: enabled.filter((t) => t.local === true).reduce((n, t) => n + t.jobs, 0),
    gva: enabled.reduce((n, t) => n + (t.gva ?? 0), 0),
    withoutGva: enabled.filter((t) => t.gva === undefined).length,
    sources: [...new Set([...used].map((row) => [row.source, row.year].filter(Boolean).join(', ')).filter(Boolean))],
  };
}
