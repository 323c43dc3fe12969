import type { Analysis } from '../../analyse.js';
import { MIN_GROUP } from '../../measures/workforce.js';
import { formatShare } from '../../money.js';
import { WITHHELD_PAY } from '../format.js';
import { FTE, NOT_PROVIDED_PAYROLL, SHARE, Sheet, type Value, bold, count, money, share, shownMoney } from './layout.js';

export function workforceSheet(analysis: Analysis): Sheet {
  const { workforce } = analysis;
  const s = new Sheet('Workforce');
  s.title('Workforce', `Aggregates only: no names, employee ids or full home postcodes, and no group of fewer than ${MIN_GROUP} staff.`);
  s.freeze(2);
  if (!workforce) {
    s.row++;
    s.line([NOT_PROVIDED_PAYROLL], { overflow: [1] });
    s.fit({ 1: { min: 50 } });
    return s;
  }
  const w = workforce;
  const shown = analysis.published.workforce;
  s.section('Headcount');
  s.header(['', 'Value', 'Notes']);
  s.line(['Staff', count(w.staff), 'people on the payroll'], { note: 3 });
  s.line(['Living locally', count(w.localStaff), `home postcode inside the area (${formatShare(w.staff === 0 ? 0 : w.localStaff / w.staff)} of staff)`], { note: 3 });
  s.line(['Not living locally', count(w.nonLocalStaff), ''], { note: 3 });
  s.line(['No usable home postcode', count(w.unknownStaff), 'counted as not local'], { note: 3 });
  s.section('Jobs and pay');
  s.header(['', 'Value', 'Notes']);
  s.line(['FTE', { value: w.fte, numFmt: FTE }, w.staffWithoutFte > 0 ? `${w.staffWithoutFte} staff with no FTE given count as 0` : ''], { note: 3 });
  s.line(['FTE of staff living locally (local jobs)', { value: w.localFte, numFmt: FTE }, ''], { note: 3 });
  s.line(['Gross pay', shownMoney(shown.grossPay), ''], { note: 3 });
  s.line(['Gross pay of staff living locally', shownMoney(shown.localGrossPay), ''], { note: 3 });
  if (shown.nonLocalGrossPay !== null || shown.unknownGrossPay !== null || shown.notLocalGrossPay === null) {
    s.line(['Gross pay of staff not living locally', shownMoney(shown.nonLocalGrossPay), ''], { note: 3 });
    s.line(['Gross pay of staff with no usable postcode', shownMoney(shown.unknownGrossPay), ''], { note: 3 });
  }
  if (shown.notLocalGrossPay !== null) s.line(['Gross pay of staff not known to live locally', shownMoney(shown.notLocalGrossPay), 'not local or no usable postcode, together'], { note: 3 });
  s.line([bold('Local pay share'), shown.localPayShare === null ? WITHHELD_PAY : { value: shown.localPayShare, numFmt: SHARE, bold: true }, 'gross pay of staff living locally / gross pay'], { note: 3 });
  if (w.netPay !== undefined) s.line(['Net pay', shownMoney(shown.netPay), ''], { note: 3 });
  s.line(['Employer NI', shownMoney(shown.employerNi), ''], { note: 3 });
  s.line(['Employer pension', shownMoney(shown.employerPension), ''], { note: 3 });
  s.line([bold('Payroll cost'), shownMoney(shown.payrollCost, { bold: true }), 'gross pay + employer NI + employer pension'], { note: 3 });
  for (const statement of analysis.disclosure.statements) s.line(['Withheld to keep staff pay private', null, statement], { note: 3 });
  if (w.livingWage) {
    s.section('Living Wage');
    s.header(['', 'Value', 'Notes']);
    s.line(['Living Wage rate (per hour)', money(w.livingWage.rate), 'as given in the project file'], { note: 3 });
    if (shown.livingWage) {
      s.line(['Staff with an hourly rate', count(w.livingWage.withRate), ''], { note: 3 });
      s.line(['Paid at least the Living Wage', count(w.livingWage.atOrAbove), ''], { note: 3 });
      s.line([bold('Share paid at least the Living Wage'), { value: w.livingWage.share, numFmt: SHARE, bold: true }, 'of staff with an hourly rate'], { note: 3 });
    } else {
      // The disclosure stage withholds it when fewer than 3 staff have an hourly rate, or when 1 or 2 are paid less.
      s.line([`Not shown: it would be a count of fewer than ${MIN_GROUP} staff (those with an hourly rate, or those paid less than the Living Wage).`], { overflow: [1] });
    }
  }
  s.section('Staff by home postcode district');
  s.note(`Districts with fewer than ${MIN_GROUP} staff are pooled so that no small group is shown.`);
  const header = s.header(['District', 'Staff', 'FTE', 'Gross pay', 'Where']);
  for (const group of w.byDistrict) {
    s.line([group.district, count(group.staff), { value: group.fte, numFmt: FTE }, shown.byDistrict ? money(group.grossPay) : WITHHELD_PAY, group.status]);
  }
  s.filter(header, s.row, 5);
  // The notes of the Value tables are prose over the district table's FTE, pay and where columns, not a wide column of their own.
  s.fit({ 1: { min: 46, max: 46 }, 2: { min: 16 }, 3: { min: 10 }, 4: { min: 14 }, 5: { min: 10 } });
  return s;
}
