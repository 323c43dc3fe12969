import type { Analysis } from '../../analyse.js';
import { type Pence } from '../../money.js';
import { MONEY, NOT_PROVIDED_SPEND, SHARE, Sheet, type Styled, bold, calc, count, money, share } from './layout.js';
import { analysedPayments } from './text.js';

export function categoriesSheet(analysis: Analysis): Sheet {
  const { spend } = analysis;
  const s = new Sheet('Categories');
  s.title('Spend by category', 'A supplier paid under several categories counts in each; its status is the supplier\'s.');
  if (!spend) {
    s.line([NOT_PROVIDED_SPEND], { overflow: [1] });
    s.fit({ 1: { min: 50 } });
    return s;
  }
  const columns = ['Category', 'Suppliers', 'Payments', 'Total', 'Local', 'Not local', 'Location unknown', 'Local share'];
  const header = s.mark('categoriesHeader', s.header(columns));
  s.freeze(header);
  const localShare = (row: number, result: number): Styled => calc(`IF(D${row}=0,0,E${row}/D${row})`, result, SHARE);
  for (const category of spend.byCategory) {
    const row = s.row + 1;
    s.line([category.category, count(category.suppliers), count(category.payments), money(category.total), money(category.local), money(category.nonLocal), money(category.unknown), localShare(row, category.localShare)]);
  }
  const last = s.mark('categoriesLast', s.row);
  s.filter(header, last, columns.length);
  const total = s.mark('categoriesTotal', s.row + 1);
  const sum = (column: string, pence: Pence): Styled =>
    spend.byCategory.length === 0 ? money(pence) : calc(`SUM(${column}${header + 1}:${column}${last})`, pence / 100, MONEY);
  s.line(
    [
      'All categories',
      count(spend.suppliers),
      count(analysedPayments(analysis)),
      sum('D', spend.total),
      sum('E', spend.local),
      sum('F', spend.nonLocal),
      sum('G', spend.unknown),
      localShare(total, spend.localShare),
    ],
    { bold: true },
  );
  s.section('By supplier type');
  s.note('Type from the supplier register; a charity number there means VCSE. Suppliers not in the register are "Not known".');
  s.mark('typesHeader', s.header(['Type', 'Suppliers', '', 'Total', 'Local', 'Not local', 'Location unknown', 'Local share']));
  for (const type of spend.byType) {
    const row = s.row + 1;
    // A label, capitalised as the categories above it are ("Public body", "Not known"; SME and VCSE as they are).
    s.line([type.type.charAt(0).toUpperCase() + type.type.slice(1), count(type.suppliers), null, money(type.total), money(type.local), money(type.nonLocal), money(type.unknown), localShare(row, type.localShare)]);
  }
  s.mark('typesLast', s.row);
  s.fit({ 1: { min: 24, max: 40 }, 4: { min: 14 }, 5: { min: 14 }, 6: { min: 14 }, 7: { min: 14 } });
  return s;
}
