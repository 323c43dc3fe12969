import type { Analysis } from '../../analyse.js';
import { ENABLED_METHOD, enabledHeadline } from '../enabled-words.js';
import { COUNT, FTE, MONEY, Sheet, bold, calc, count, money } from './layout.js';

/** Step 9's Appendix 2: the jobs and GVA the organisation's tenants enable, by tenant and by industry. */
export function enabledSheet(analysis: Analysis): Sheet | undefined {
  const e = analysis.enabled;
  if (!e) return undefined;
  const s = new Sheet('Enabled contribution');
  s.title('Enabled contribution: tenants (step 9)', 'The jobs in the organisation\'s tenants and the gross value added they support; method and source at the foot.');
  s.line([bold(enabledHeadline(e))], { overflow: [1] });
  s.section('By tenant');
  const header = s.header(['Tenant', 'Industry', 'Local', 'Jobs', 'FTE', 'GVA per job', 'GVA (gross)', 'GVA from']);
  s.freeze(header);
  s.printTitlesRow = header;
  for (const t of e.tenants) {
    const row = s.row + 1;
    const gva =
      t.basis === 'own' ? money(t.ownGva!, { input: true }) : t.basis === 'table' ? calc(`D${row}*F${row}`, t.gva! / 100, MONEY) : 'not estimated';
    s.line([
      t.name,
      t.tableIndustry ?? t.industry,
      t.local === undefined ? '' : t.local ? 'yes' : 'no',
      { value: t.jobs, numFmt: COUNT, input: true },
      t.fte === undefined ? null : { value: t.fte, numFmt: FTE, input: true },
      t.gvaPerJob === undefined ? null : money(t.gvaPerJob, { input: true }),
      gva,
      t.basis === 'own' ? "the tenant's own figure" : t.basis === 'table' ? 'jobs × GVA per job' : t.industry === '' ? 'no industry given' : 'industry not in the GVA table',
    ]);
  }
  const first = header + 1;
  const last = s.row;
  if (e.tenants.length === 0) s.line(['No tenants in the register.']);
  const sum = (column: string, value: number, numFmt: string) => (e.tenants.length === 0 ? { value: 0, numFmt } : calc(`SUM(${column}${first}:${column}${last})`, value, numFmt));
  s.line([bold('Total'), null, null, sum('D', e.jobs, COUNT), sum('E', e.fte, FTE), null, sum('G', e.gva / 100, MONEY), e.withoutGva > 0 ? `${e.withoutGva} tenant(s) without a GVA estimate` : ''], { bold: true });
  s.line(['Jobs in local tenants', null, null, e.tenants.length === 0 ? count(0) : calc(`SUMIF(C${first}:C${last},"yes",D${first}:D${last})`, e.localJobs, COUNT)]);

  s.section('By industry');
  s.header(['Industry', 'Tenants', 'Jobs', 'FTE', 'GVA (gross)']);
  for (const line of e.byIndustry) s.line([line.industry, count(line.tenants), count(line.jobs), { value: line.fte, numFmt: FTE }, money(line.gva)]);

  s.section('Method and source');
  // One sentence a line: a long note runs past the columns and shrinks the printed page.
  for (const sentence of ENABLED_METHOD.split(/(?<=\.) /)) s.note(sentence);
  s.line(['Region', e.region ?? 'not set: no GVA estimated from the table'], { overflow: [2] });
  s.line(['GVA per job from', e.sources.length > 0 ? e.sources.join('; ') : 'no table row used'], { overflow: [2] });
  s.note('Where the GVA table is built from ONS figures: contains public sector information from the Office for National Statistics,');
  s.note('licensed under the Open Government Licence v3.0.');
  s.fit({ 1: { min: 24, max: 36 }, 2: { min: 12, max: 20 }, 8: { max: 30 } });
  return s;
}
