import type { Analysis } from '../../analyse.js';
import { OGL_ATTRIBUTION } from '../../geo/attribution.js';
import { formatShare } from '../../money.js';
import { deprivationBasisLabel } from '../format.js';
import { columnLetter } from '../xlsx-writer.js';
import { COUNT, MONEY, NOT_PROVIDED_SPEND, SHARE, Sheet, bold, calc, count, money, share } from './layout.js';

export function geographySheet(analysis: Analysis): Sheet {
  const { spend, geography, deprivation, referenceData } = analysis;
  const s = new Sheet('Geography');
  s.title('Geography', 'Spend by each definition of local, with suppliers in the most deprived areas, and by council.');
  s.freeze(2);
  if (!spend || !geography) {
    s.row++;
    s.line([NOT_PROVIDED_SPEND], { overflow: [1] });
    s.fit({ 1: { min: 50 } });
    return s;
  }
  const directory = referenceData.directory !== undefined;

  s.section('Local by tier');
  if (geography.tiers.length === 0) {
    s.line(['No other definitions of local (tiers) were given: a council, its region and England, say, can be reported side by side.'], { overflow: [1] });
  } else {
    const tiers = geography.tiers;
    s.mark('tiersHeader', s.header(['', ...tiers.map((t) => t.label)]));
    s.line(['Given as', ...tiers.map((t) => t.spec)]);
    s.line(['Local means', ...tiers.map((t) => t.terms.join('; '))]);
    const local = s.line(['Local', ...tiers.map((t) => money(t.local))]);
    s.line(['Not local', ...tiers.map((t) => money(t.nonLocal))]);
    s.line(['Location unknown', ...tiers.map((t) => money(t.unknown))]);
    const total = s.line(['Total spend', ...tiers.map((t) => money(t.total))]);
    const column = (i: number) => columnLetter(i + 2);
    s.mark('tiersShare', s.row + 1);
    s.line([bold('Local share'), ...tiers.map((t, i) => ({ ...calc(`IF(${column(i)}${total}=0,0,${column(i)}${local}/${column(i)}${total})`, t.localShare, SHARE), bold: true }))]);
    // The coverage rule holds per tier: below it, the share is only the low end of a range.
    const support = analysis.headlines?.tiers ?? [];
    if (support.some((t) => !t.supported)) {
      s.line(['A finding?', ...support.map((t) => (t.supported ? 'yes' : `no: up to ${formatShare(t.high)} if every unknown is local`))]);
    }
  }

  s.section('Districts across the boundary');
  s.header(['', '£', 'Share of spend', 'Notes']);
  s.line(['Known only by a district across the boundary', money(geography.uncertain), share(spend.total === 0 ? 0 : geography.uncertain / spend.total), 'counted in Location unknown, never assigned'], { note: 4 });
  if (directory) {
    s.line(['Estimated local part of that', money(geography.uncertainEstimatedLocal), share(spend.total === 0 ? 0 : geography.uncertainEstimatedLocal / spend.total), "each district's share of postcodes inside the area × the spend: an estimate, not counted as local"], { note: 4 });
  }

  s.section('Deprivation');
  if (deprivation) {
    s.note('Spend with suppliers in the most deprived areas of England, by the English Indices of Deprivation.');
    s.header(['', '£', 'Share of spend', 'Notes']);
    s.line(['In the most deprived 10% of areas (decile 1)', money(deprivation.decile1), share(deprivation.decile1Share), ''], { note: 4 });
    s.line(['In the most deprived 20% of areas (deciles 1–2)', money(deprivation.decile1to2), share(deprivation.decile1to2Share), ''], { note: 4 });
    s.line(['Spend whose supplier has a decile', null, share(deprivation.coveredShare), 'English suppliers the postcode directory places'], { note: 4 });
    s.line(['Basis', `${deprivation.edition}, ${deprivationBasisLabel(deprivation.basis)}`], { overflow: [2] });
  } else {
    s.line([directory ? 'Not measured: it needs the English Indices of Deprivation, which were not imported.' : 'Not measured: it needs the ONS postcode directory and the English Indices of Deprivation, which were not imported.'], { overflow: [1] });
  }

  s.section('Spend by council');
  if (!directory) {
    s.line(['Not measured: spend by council needs the ONS postcode directory, which was not imported.'], { overflow: [1] });
  } else {
    const header = s.header(['Council', 'Council code', 'Suppliers', 'Spend', 'Share of spend']);
    const total = header + geography.byCouncil.length + 1;
    for (const council of geography.byCouncil) {
      const row = s.row + 1;
      const name = council.council === '' ? 'Not placed in one council' : council.councilName;
      const fraction = spend.total === 0 ? 0 : council.amount / spend.total;
      s.line([name, council.council, count(council.suppliers), money(council.amount), calc(`IF($D$${total}=0,0,D${row}/$D$${total})`, fraction, SHARE)]);
    }
    s.filter(header, total - 1, 5);
    s.line(
      ['All councils', null, calc(`SUM(C${header + 1}:C${total - 1})`, spend.suppliers, COUNT), calc(`SUM(D${header + 1}:D${total - 1})`, spend.total / 100, MONEY), share(spend.total === 0 ? 0 : 1)],
      { bold: true },
    );
    s.note('"Not placed in one council": no postcode, a postcode the directory does not hold, or a district across councils.');
    s.row++;
    s.note(OGL_ATTRIBUTION);
  }
  s.fit({ 1: { min: 30, max: 46 }, 2: { min: 16, max: 26 }, 3: { min: 14, max: 26 }, 4: { min: 16, max: 26 }, 5: { min: 14, max: 26 }, 6: { max: 26 }, 7: { max: 26 } });
  return s;
}
