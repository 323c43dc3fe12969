import { basename } from 'node:path';
import type { Analysis } from '../../analyse.js';
import type { Supplier } from '../../domain/supplier.js';
import { IMD_ATTRIBUTION, OGL_ATTRIBUTION } from '../../geo/attribution.js';
import { describeRule } from '../../ingest/exclude.js';
import { fingerprint } from '../../disclosure/disclose.js';
import { MIN_GROUP } from '../../measures/workforce.js';
import { formatShare } from '../../money.js';
import { contractValuesNote, delimiterLabel, formatIsoDate, formatUkDateTime, round1BasisLabel, spendKindLabel, typeSourceLabel, vatAdjustmentLabel } from '../format.js';
import { xlsx } from '../xlsx-writer.js';
import { Sheet, type Value, count, money, percentOf, share, shownMoney } from './layout.js';
import { areaText, rulesText, vatBasisMeaning } from './text.js';

export function assumptionsSheet(analysis: Analysis): Sheet {
  const { settings, lm3, ledger } = analysis;
  const s = new Sheet('Assumptions');
  s.title('Assumptions and inputs', 'The conventions behind every figure, and exactly which files were read.');
  s.freeze(2);
  s.section('Conventions');
  s.header(['Convention', 'Setting', 'What it means']);
  const convention = (name: string, setting: Value, meaning: string) => s.line([name, setting, meaning], { note: 3 });
  convention(
    'Wages in Round 2',
    settings.wages === 'net' && lm3?.wages === 'gross' ? 'net asked; gross used' : settings.wages,
    settings.wages === 'gross'
      ? 'R2 counts the gross pay of staff living locally (NEF: survey shares are of gross pay); employer NI and pension count in R1, not R2.'
      : lm3?.wages === 'gross'
        ? 'Net pay was asked for, but not every member of staff has it: R2 counts gross pay for everyone rather than mix the two (see NET_PAY_MISSING); employer NI and pension count in R1, not R2.'
        : 'R2 counts the net pay of staff living locally; employer NI and pension count in R1, not R2.',
  );
  convention(
    'Supplier survey averaging',
    settings.supplierAveraging,
    settings.supplierAveraging === 'unweighted'
      ? "Surveyed local suppliers use their own answer; unsurveyed ones the unweighted mean of the surveyed local suppliers' answers."
      : "Surveyed local suppliers use their own answer; unsurveyed ones the spend-weighted mean of the surveyed local suppliers' answers.",
  );
  convention('Staff survey averaging', 'unweighted', 'The unweighted mean of the staff answers applies to all pay of staff living locally.');
  convention('Location unknown', 'counted as non-local', 'Suppliers and staff whose location is unknown count as non-local in the central figures; the high end of the LM3 range counts them as local. Unknown is never counted as leakage: leakage is money known to leave the area.');
  convention(
    'Coverage threshold',
    share(percentOf(settings.coverageThreshold)),
    `Below this share of spend (or of staff) located, the local share, leakage and LM3 are not stated as findings, only as the range the unknowns allow. Payments to redacted or placeholder payees ("Various", "Sundry") count as not located.${analysis.headlines ? ` This run: ${formatShare(analysis.headlines.coverage.spendLocatedShare)} of spend located.` : ''}`,
  );
  convention(
    'Where a supplier is',
    'the postcode given',
    "Each supplier is placed by the postcode in the supplier register where it has one, else the spend file's (see the Suppliers sheet's source column). That is usually a registered office or invoice address: a national firm's local branch counts where it invoices from, and a local firm invoicing through a head office elsewhere counts as not local. Correct either with the register's local yes/no and a reason.",
  );
  convention('Staff location', 'home postcode', 'Staff are local by home postcode, not workplace.');
  const typeCounts = analysis.spend?.typeSources.filter((t) => t.suppliers > 0).map((t) => (t.source === 'not known' ? `${t.suppliers} not known` : `${t.suppliers} from ${typeSourceLabel(t.source)}`));
  convention(
    'Supplier type',
    'register, then spend file, then charity number',
    "A supplier's type is the supplier register's Type where it gives one; else the spend file's VCSE and SME columns (each column's first yes or no for the supplier; VCSE where both say yes; a no gives no type, as a supplier that is not an SME may be a large firm, a public body or a charity); " +
      "else VCSE where it has a charity number, or a charitable incorporated organisation's company number (CE…, CS…). Any other company number says nothing of size." +
      (typeCounts && typeCounts.length > 0 ? ` This run: ${typeCounts.join(', ')} (each supplier's is in the Suppliers sheet's Type from column).` : ''),
  );
  convention(
    'Round 1',
    lm3 ? shownMoney(analysis.published.lm3.round1) : settings.income !== undefined ? money(settings.income) : 'not given',
    lm3 ? round1BasisLabel(lm3.round1Basis) : settings.income !== undefined ? 'income followed (given)' : 'spend analysed + payroll cost would be used',
  );
  const a = settings.assumptions;
  if (a.supplierPercent === undefined && a.staffPercent === undefined) convention('Round 3 assumptions', 'none', 'Round 3 rests on surveys only.');
  if (a.supplierPercent !== undefined) convention('Assumed supplier local re-spend', share(percentOf(a.supplierPercent)), `used only where there is no supplier survey${a.source ? `; source: ${a.source}` : ''}`);
  if (a.staffPercent !== undefined) convention('Assumed staff local spend', share(percentOf(a.staffPercent)), `used only where there is no staff survey${a.source ? `; source: ${a.source}` : ''}`);
  convention('Local area', settings.area ?? 'not set', areaText(analysis));
  for (const [i, tier] of (analysis.geography?.tiers ?? []).entries()) convention(tier.label === tier.spec ? `Tier ${i + 1}` : `Tier ${i + 1}: ${tier.label}`, tier.spec, tier.terms.join('; '));
  if (analysis.referenceData.directory) {
    convention('District across the boundary', 'unknown', "A supplier known only by a postcode district partly inside the area counts as unknown; the share of the district's postcodes inside gives an estimate, shown beside it.");
  }
  if (ledger) {
    convention('What the spend figures are', spendKindLabel(ledger.kind), contractValuesNote(analysis.inputs, settings.period?.label) ?? 'Each row of the spend files is a payment made.');
  }
  convention('Period', settings.period?.label ?? 'not set', settings.period ? `${formatIsoDate(settings.period.from)} to ${formatIsoDate(settings.period.to)}; payments dated outside it are not used.` : 'every dated row was used');
  if (ledger?.firstDate) convention('Payments dated', formatIsoDate(ledger.firstDate), `to ${formatIsoDate(ledger.lastDate ?? ledger.firstDate)}`);
  convention('Living Wage rate', settings.livingWageRate !== undefined ? money(settings.livingWageRate) : 'not given', 'per hour, as given in the project file');
  convention('Smallest group shown', count(MIN_GROUP), 'No published figure, nor any combination of them, shows the pay of fewer staff than this, exactly or to within 10%.');
  const d = analysis.disclosure;
  convention(
    'Disclosure control',
    d.consent !== undefined ? 'published with consent' : d.statements.length > 0 ? 'figures withheld' : d.smallGroups > 0 ? 'audited: nothing to withhold' : 'no small group',
    d.consent !== undefined
      ? `The project file says: ${d.consent}. Every figure is published as it is.${d.statements.length > 0 ? ` ${d.statements.join(' ')}` : ''}`
      : `Every figure staff pay feeds was audited as a sum of the pay of groups of staff: ${d.smallGroups} group(s) of fewer than ${MIN_GROUP} people to protect.${d.statements.length > 0 ? ` ${d.statements.join(' ')}` : ''}`,
  );
  convention('VAT basis', settings.vatBasis, vatBasisMeaning(settings.vatBasis));
  convention(
    'Excluded spend',
    settings.exclude.length === 0 ? 'none' : rulesText(settings.exclude.length),
    settings.exclude.length === 0
      ? 'No exclude rules: every accepted payment is analysed.'
      : 'Payments the rules below take are accepted but not analysed: they are outside the local share and LM3, on a line of their own.',
  );

  s.section('Input files');
  const header = s.header(['Role', 'File', 'Columns used (field ← header)', 'Encoding or format', 'Delimiter or sheet', 'Header line', 'Size (bytes)', 'SHA-256', 'Path']);
  for (const input of analysis.inputs) {
    const f = input.source;
    s.line([
      f.role,
      f.name,
      f.columns.map((c) => `${c.field} ← ${c.header}${c.how === 'named' ? ' (as named)' : ''}`).join('\n'),
      f.format === 'xlsx' ? 'xlsx workbook' : f.encoding,
      f.format === 'xlsx' ? `sheet "${f.sheet ?? ''}"` : delimiterLabel(f.delimiter),
      count(f.headerLine),
      fingerprint(f) ? count(f.sizeBytes) : 'withheld',
      fingerprint(f)?.sha256 ?? 'withheld: a fingerprint of personal data could confirm a guess at it',
      f.path,
    ]);
  }
  if (analysis.inputs.length === 0) s.line(['none']);
  s.filter(header, s.row, 9);

  const spendFiles = analysis.inputs.filter((input) => input.vat !== undefined);
  if (spendFiles.length > 0) {
    s.section('VAT in the spend files');
    s.note(`Amounts are analysed ${settings.vatBasis} of VAT; each file's amount column, what its header says, and how its amounts were brought to that basis.`);
    s.header(['File', 'Amounts from', 'Its header says', 'VAT column', 'How']);
    for (const input of spendFiles) {
      const vat = input.vat!;
      s.line([input.source.name, vat.amountColumn, vat.columnSays, vat.vatColumn ?? 'none', vatAdjustmentLabel(vat)], { note: 5 });
    }
  }

  if (settings.exclude.length > 0) {
    s.section('Exclude rules');
    s.header(['Rule', 'Reason']);
    for (const rule of settings.exclude) s.line([describeRule(rule), rule.reason], { note: 2 });
  }

  const { directory, deprivation } = analysis.referenceData;
  if (directory || deprivation.length > 0) {
    s.section('Reference data');
    s.header(['Data', 'File', 'What was used']);
    if (directory) {
      const details = `${directory.postcodes.toLocaleString('en-GB')} postcodes; file dated ${formatIsoDate(directory.modified.slice(0, 10))}; imported ${formatIsoDate(directory.importedAt.slice(0, 10))}`;
      s.line(['ONS postcode directory', directory.file, details], { note: 3 });
    }
    for (const table of deprivation) s.line([`English Indices of Deprivation (${table.edition})`, table.source, `deciles by ${table.basis === 'lsoa' ? 'LSOA' : 'council'}`], { note: 3 });
    if (directory) s.note(OGL_ATTRIBUTION);
    if (deprivation.length > 0) s.note(IMD_ATTRIBUTION);
  }

  s.section('Run');
  s.line(['Tool', `${analysis.tool.name} ${analysis.tool.version}`], { overflow: [2] });
  s.line(['Generated', formatUkDateTime(analysis.generatedAt)], { overflow: [2] });
  s.line(['Project file', settings.projectFile ? basename(settings.projectFile) : 'none (flags only)'], { overflow: [2] });
  // The columns are the input files' table's (a SHA-256 in two lines of 32); the conventions' meanings are prose over them.
  s.fit({ 1: { min: 26, max: 32 }, 2: { min: 16, max: 26 }, 3: { min: 30, max: 40 }, 7: { min: 10 }, 8: { max: 32 }, 9: { max: 40 } });
  return s;
}
