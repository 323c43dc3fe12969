import { describeFinding } from '../src/findings.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGvaTable, readTenants } from '../src/ingest/tenants.js';
import { industryKeys, measureEnabled } from '../src/measures/enabled.js';

/**
 * Three tenants against a hand-made GVA per job table:
 *   Calder Bakery CIC   C10-12      12 jobs × £41,250.50 = £495,006.00
 *   Hebden Café         I            5 jobs × £23,800.00 = £119,000.00
 *   Valley Care Ltd     Q (86-88)    7 jobs, its own GVA    £250,000.00
 * = 24 jobs (17 in local tenants), 18.7 FTE, £864,006.00 of GVA, gross.
 */
const dir = mkdtempSync(join(tmpdir(), 'local-impact-enabled-'));
const gvaFile = join(dir, 'gva.csv');
writeFileSync(
  gvaFile,
  [
    'Region,Industry,GVA per job,Source,Year',
    'Yorkshire and The Humber,CA (10-12),"£41,250.50",ONS regional GVA ÷ BRES jobs,2021',
    'Yorkshire and The Humber,I (55-56),23800,ONS regional GVA ÷ BRES jobs,2021',
    'Yorkshire and The Humber,Q (86-88),32100.25,ONS regional GVA ÷ BRES jobs,2021',
    'North West,I (55-56),25000,ONS regional GVA ÷ BRES jobs,2021',
    'Yorkshire and The Humber,J,lots,ONS,2021',
  ].join('\r\n'),
);
const tenantsFile = join(dir, 'tenants.csv');
writeFileSync(
  tenantsFile,
  [
    'Tenant,Industry,Jobs,FTE,Local,GVA',
    'Calder Bakery CIC,C10-12,12,9.5,yes,',
    'Hebden Café,I,5,3.2,Yes,',
    'Valley Care Ltd,Q (86-88),7,6,no,"£250,000"',
    ',I,3,3,yes,',
    'Moor Studio,R,seven,,yes,',
  ].join('\r\n'),
);

describe("tenants' enabled contribution (step 9)", async () => {
  const tenants = await readTenants(tenantsFile);
  const table = await readGvaTable(gvaFile);
  const enabled = measureEnabled(tenants.rows, table.rows, 'Yorkshire and The Humber');

  it('accepts or rejects every row with a code', () => {
    expect(tenants.file).toMatchObject({ rowsRead: 5, rowsAccepted: 3, rowsRejected: 2 });
    expect(tenants.findings.details.map((f) => [f.line, f.code])).toEqual([[5, 'TENANT_MISSING'], [6, 'TENANT_JOBS_UNREADABLE']]);
    expect(table.file).toMatchObject({ rowsRead: 5, rowsAccepted: 4, rowsRejected: 1 });
    expect(table.findings.details.map((f) => [f.line, f.code])).toEqual([[6, 'GVA_ROW_UNREADABLE']]);
  });

  it('refuses a repeated region and industry, with a code, rather than letting the first win in silence', async () => {
    const repeated = join(dir, 'gva-repeated.csv');
    writeFileSync(
      repeated,
      [
        'Region,Industry,GVA per job,Source,Year',
        'Yorkshire and The Humber,I (55-56),23800,ONS,2021',
        'yorkshire and the humber,I(55–56),99999,ONS,2021',
        'Yorkshire and The Humber,I (55-56),23800,ONS,2021',
        'North West,I (55-56),25000,ONS,2021',
      ].join('\n'),
    );
    const read = await readGvaTable(repeated);
    expect(read.file).toMatchObject({ rowsRead: 4, rowsAccepted: 2, rowsRejected: 2 });
    expect(read.findings.details.map((f) => [f.line, f.code, f.args?.first])).toEqual([[3, 'GVA_ROW_REPEATED', 2], [4, 'GVA_ROW_REPEATED', 2]]);
    expect(describeFinding(read.findings.details[0]!)).toContain('gives £99,999.00 per job where line 2 gives £23,800.00');
    expect(describeFinding(read.findings.details[1]!)).toContain('with the same GVA per job');
    // The first row's figure is the one used: 5 jobs × £23,800.
    expect(measureEnabled([{ name: 'Hebden Café', industry: 'I', jobs: 5, line: 2 } as never], read.rows, 'Yorkshire and The Humber').gva).toBe(11_900_000);
  });

  it('multiplies jobs by GVA per job for the industry and region, exactly, or takes the tenant\'s own', () => {
    expect(enabled.tenants.map((t) => [t.name, t.basis, t.gvaPerJob, t.gva])).toEqual([
      ['Calder Bakery CIC', 'table', 4_125_050, 49_500_600],
      ['Hebden Café', 'table', 2_380_000, 11_900_000],
      ['Valley Care Ltd', 'own', 3_210_025, 25_000_000],
    ]);
    expect(enabled).toMatchObject({ jobs: 24, fte: 18.7, localJobs: 17, gva: 86_400_600, withoutGva: 0, sources: ['ONS regional GVA ÷ BRES jobs, 2021'] });
    expect(enabled.byIndustry.map((l) => [l.industry, l.jobs, l.gva])).toEqual([
      ['CA (10-12)', 12, 49_500_600],
      ['Q (86-88)', 7, 25_000_000],
      ['I (55-56)', 5, 11_900_000],
    ]);
  });

  it('reads another region, and estimates nothing for an industry the table lacks', () => {
    const northWest = measureEnabled(tenants.rows, table.rows, 'north west');
    expect(northWest.tenants.map((t) => t.gva)).toEqual([undefined, 12_500_000, 25_000_000]);
    expect(northWest.withoutGva).toBe(1);
  });

  it('matches the codes ONS writes to the codes people write', () => {
    expect(industryKeys('CA (10-12)')).toEqual(['ca(10-12)', 'ca', '10-12', 'c10-12']);
    expect(industryKeys('A-E')).toEqual(['a-e']);
  });
});
