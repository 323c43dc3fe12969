import { stripVTControlCharacters } from 'node:util';
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Analysis } from '../analyse.js';
import type { StepStatus } from '../framework/assess.js';
import { enabledHeadline } from './enabled-words.js';
import { OGL_ATTRIBUTION } from '../geo/attribution.js';
import { leakageHeadline, round2Note, leakageNote, lm3Headline, lm3Note, localShareHeadline, whyNot } from './headlines.js';
import { formatPounds, formatShare } from '../money.js';
import { TARGET_LABELS, targetText } from './compare-words.js';
import { contractValuesNote, quoteInput, shownInput, shownMessage, shownRaw, shownRowText, spendRowsNoun, WITHHELD_PAY } from './format.js';

/** Colour only on a terminal, and never when NO_COLOR is set (no-color.org). */
export function makeChalk(stream: NodeJS.WriteStream): ChalkInstance {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  return new Chalk({ level: stream.isTTY && !noColor ? 1 : 0 });
}

/** How wide terminal output may be; `width` undefined means do not wrap. */
export interface Layout {
  width?: number;
}

/** The terminal's width; piped to a file or a program, none, so each row stays on one line for grep, diff and scripts. */
export function terminalLayout(stream: NodeJS.WriteStream = process.stdout): Layout {
  return { width: stream.isTTY && stream.columns > 0 ? stream.columns : undefined };
}

/**
 * The most characters a table cell is given: cli-table3's time grows about with the cube of a cell's lines,
 * so a cell of unbounded text (a damaged field holding the rest of the file) would hang the terminal.
 * Input text is cut far shorter by `shownInput` before it gets here; this only keeps a slip from hanging.
 */
const CELL_CHARACTERS = 1000;

export function table(head: string[], c: ChalkInstance, width: number | undefined): Table.Table {
  // No rule between body rows: a summary should read like a statement, not a grid.
  const t = new Table({
    head: head.map((h) => c.bold(h)),
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    wordWrap: width !== undefined,
  });
  // Cells are bounded, and column widths chosen, once the rows are in: as the table is drawn.
  const draw = t.toString.bind(t);
  t.toString = () => {
    const rows = t as unknown as Table.Cell[][];
    for (const row of rows) row.forEach((cell, i) => (row[i] = boundedCell(cell)));
    if (width !== undefined) {
      for (const row of rows) row.forEach((cell, i) => (row[i] = indentAsPadding(cell)));
      t.options.colWidths = fitColumns([head, ...rows], width);
    }
    return draw();
  };
  return t;
}

function boundedCell(cell: Table.Cell): Table.Cell {
  return typeof cell === 'string' && cell.length > CELL_CHARACTERS ? shownInput(cell, CELL_CHARACTERS) : cell;
}

/** A cell's leading spaces (`  local`) as its left padding: cli-table3's wrapping miscounts them, and a wrapped line keeps the indent. */
function indentAsPadding(cell: Table.Cell): Table.Cell {
  if (typeof cell !== 'string') return cell;
  const indent = /^ */.exec(cell)![0].length;
  return indent === 0 ? cell : { content: cell.slice(indent), style: { 'padding-left': 1 + indent } };
}

/**
 * Column widths (padding included) that fit `width`: the widest column gives way first, wrapping at spaces,
 * but no column gets narrower than its longest word, so a figure is never cut (the table overflows instead).
 */
function fitColumns(rows: readonly (readonly Table.Cell[])[], width: number): number[] {
  const columns = Math.max(...rows.map((row) => row.length));
  const natural = new Array<number>(columns).fill(2);
  const least = new Array<number>(columns).fill(2);
  for (const row of rows) {
    row.forEach((cell, i) => {
      const padding = typeof cell === 'object' && cell !== null ? (cell.style?.['padding-left'] ?? 1) + 1 : 2;
      const content = typeof cell === 'object' && cell !== null ? cell.content : cell;
      for (const line of stripVTControlCharacters(String(content ?? '')).split('\n')) {
        natural[i] = Math.max(natural[i]!, shown(line) + padding);
        for (const word of line.split(/\s+/)) least[i] = Math.max(least[i]!, shown(word) + padding);
      }
    });
  }
  const widths = [...natural];
  for (let over = widths.reduce((a, b) => a + b, 0) + columns + 1 - width; over > 0; over--) {
    let widest = -1;
    for (let i = 0; i < columns; i++) if (widths[i]! > least[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    if (widest < 0) break;
    widths[widest]!--;
  }
  return widths;
}

/** Lines longer than `width` broken at spaces, continuing indented; tables, fitted already, are left alone. */
export function fitLines(text: string, width: number | undefined): string {
  if (width === undefined) return text;
  return text
    .split('\n')
    .flatMap((line) => (/^[┌│└├]/.test(stripVTControlCharacters(line)) ? [line] : wrapLine(line, width)))
    .join('\n');
}

function wrapLine(line: string, width: number): string[] {
  const plain = (text: string) => stripVTControlCharacters(text);
  if (shown(plain(line)) <= width) return [line];
  const indent = `${/^ */.exec(plain(line))![0]}  `;
  const lines: string[] = [];
  const words = line.split(' ');
  let current = words[0]!;
  for (const word of words.slice(1)) {
    const longer = `${current} ${word}`;
    if (shown(plain(longer)) > width && plain(current).trim() !== '') {
      lines.push(current);
      current = indent + word;
    } else {
      current = longer;
    }
  }
  lines.push(current);
  return lines;
}

/** Characters as they show (colour codes stripped beforehand): `£` and `·` are one each. */
function shown(text: string): number {
  return [...text].length;
}

export function renderSummary(analysis: Analysis, c: ChalkInstance, reportPath: string | null, { width }: Layout = terminalLayout()): string {
  const { spend, workforce, lm3, leakage, settings, headlines } = analysis;
  const shown = analysis.published;
  const pounds = (pence: number | null) => (pence === null ? WITHHELD_PAY : formatPounds(pence));
  const lines: string[] = [];
  lines.push(c.bold(`${settings.organisation}${settings.period ? ` — ${settings.period.label}` : ''}`));
  if (analysis.area) lines.push(`Local means: ${analysis.area.terms.join(', ')}`);
  const contracts = contractValuesNote(analysis.inputs, settings.period?.label);
  if (contracts) lines.push(c.yellow(contracts));
  const t = table(['Measure', 'Value', ''], c, width);
  if (spend && analysis.ledger) {
    t.push(
      [analysis.ledger.kind === 'contracts' ? 'Contracts analysed' : 'Spend analysed', formatPounds(spend.total), `${analysis.ledger.rowsAccepted} ${spendRowsNoun(analysis.ledger.kind)}, ${spend.suppliers} suppliers`],
      ['  local', c.green(formatPounds(spend.local)), `${formatShare(spend.localShare)}${headlines && !headlines.localShare.supported ? ' known' : ''} · ${spend.localSuppliers} suppliers`],
      ['  not local', formatPounds(spend.nonLocal), `${formatShare(spend.total === 0 ? 0 : spend.nonLocal / spend.total)} · ${spend.nonLocalSuppliers} suppliers`],
      ['  location unknown', spend.unknown === 0 ? formatPounds(0) : c.yellow(formatPounds(spend.unknown)), `${formatShare(spend.unknownShare)} · ${spend.unknownSuppliers} suppliers`],
    );
    if (headlines) {
      const local = headlines.localShare;
      t.push([c.bold('Local share'), local.supported ? c.bold(localShareHeadline(local)) : c.yellow(localShareHeadline(local)), local.supported ? 'of spend analysed' : whyNot(local, headlines)]);
    }
  }
  if (workforce) {
    t.push(
      ['Staff', String(workforce.staff), `${workforce.fte} FTE; payroll cost ${pounds(shown.workforce.payrollCost)}`],
      ['  living locally', String(workforce.localStaff), `${workforce.localFte} FTE; ${shown.workforce.localPayShare === null ? `share of gross pay ${WITHHELD_PAY}` : `${formatShare(shown.workforce.localPayShare)} of gross pay`}`],
    );
  }
  if (lm3 && headlines) {
    t.push(
      ['Round 1', pounds(shown.lm3.round1), lm3.round1Basis === 'income' ? 'income followed' : 'spend + payroll cost (no income given)'],
      ['Round 2', pounds(shown.lm3.round2), round2Note(lm3, shown.lm3, headlines.lm3, shown.percentDigits.rounds)],
      ['Round 3', pounds(shown.lm3.round3), `${shown.lm3.round3Share === null ? WITHHELD_PAY : formatShare(shown.lm3.round3Share, shown.percentDigits.rounds)} of R2 re-spent locally; basis: ${lm3.round3Basis}`],
      [c.bold('LM3'), (headlines.lm3.supported ? c.bold : c.yellow)(lm3Headline(lm3, shown.lm3, headlines.lm3)), lm3Note(lm3, shown.lm3, headlines.lm3, headlines)],
    );
  }
  if (leakage && headlines) t.push(['Leakage', leakageHeadline(shown.leakage, headlines.leakage, shown.percentDigits.leakage), leakageNote(shown.leakage, headlines.leakage, headlines, shown.percentDigits.leakage)]);
  lines.push(t.toString());
  const tiers = analysis.geography?.tiers ?? [];
  if (tiers.length > 0) {
    const byTier = table(['Local means', 'Local', 'Share'], c, width);
    tiers.forEach((tier, i) => {
      const support = headlines?.tiers[i];
      byTier.push([tier.label, formatPounds(tier.local), !support || support.supported ? formatShare(tier.localShare) : `${formatShare(tier.localShare)}–${formatShare(support.high)} (not a finding)`]);
    });
    lines.push(byTier.toString());
  }
  if (analysis.targets.length > 0) {
    const targets = table(['Target', 'This year'], c, width);
    for (const t of analysis.targets) {
      const colour = t.status === 'met' ? c.green : t.status === 'missed' ? c.red : c.yellow;
      targets.push([TARGET_LABELS[t.measure], colour(targetText(t))]);
    }
    lines.push(targets.toString());
  }
  if (analysis.geography && analysis.geography.uncertain > 0) {
    const estimate = analysis.referenceData.directory ? `, an estimated ${formatPounds(analysis.geography.uncertainEstimatedLocal)} of it local` : '';
    lines.push(`Of the unknown, ${formatPounds(analysis.geography.uncertain)} is with suppliers known only by a district across the boundary${estimate}.`);
  }
  if (analysis.scenarios) lines.push(scenarioTable(analysis.scenarios, c, width));
  if (analysis.enabled) lines.push(`Enabled (step 9): ${enabledHeadline(analysis.enabled)}; see the Enabled contribution sheet for the method and source.`);
  if (spend && spend.topLeaking.length > 0) {
    const top = table(['Top leaking suppliers (located outside the area)', 'Spend'], c, width);
    for (const s of spend.topLeaking.slice(0, 5)) top.push([shownInput(s.name), formatPounds(s.amount)]);
    lines.push(top.toString());
  }
  if (spend && spend.toLocate.length > 0) {
    const find = table(['Largest suppliers of unknown location: locate these', 'Spend'], c, width);
    for (const s of spend.toLocate.slice(0, 5)) find.push([shownInput(s.name), formatPounds(s.amount)]);
    lines.push(find.toString());
  }
  lines.push(...renderWarnings(analysis, c));
  const info = analysis.findings.summary().filter((f) => f.severity === 'info');
  if (info.length > 0) lines.push(c.dim(`${info.reduce((n, f) => n + f.count, 0)} notes (${info.map((f) => f.code).join(', ')}) — see the Data quality sheet.`));
  if (analysis.referenceData.directory) lines.push(c.dim(OGL_ATTRIBUTION));
  if (reportPath) lines.push(`Report written: ${reportPath}`);
  return fitLines(lines.join('\n'), width);
}

/**
 * Step 10: each scenario beside today, in whole pounds to fit 80 columns. Leakage is one thing down its column: pounds
 * where today's pounds are published, else the change on today's (today's share then said beneath, not mixed in).
 */
function scenarioTable(run: NonNullable<Analysis['scenarios']>, c: ChalkInstance, width: number | undefined): string {
  const WITHHELD = 'withheld';
  const whole = (pence: number | null) => (pence === null ? WITHHELD : formatPounds(pence, { whole: true }));
  const signed = (pence: number) => (pence === 0 ? 'no change' : `${pence < 0 ? '−' : '+'}${formatPounds(Math.abs(pence), { whole: true })}`);
  const score = (value: number | null) => (value === null ? WITHHELD : value.toFixed(2));
  const now = run.publishedToday;
  const asChange = now.leakage === null && run.published.some((p) => p.change.leakage !== null);
  const t = table(['Scenario', 'LM3', 'R2', 'R3', asChange ? 'Leakage change' : 'Leakage', 'Kept locally'], c, width);
  t.push(['Today', score(now.score), whole(now.round2), whole(now.round3), asChange ? '—' : whole(now.leakage), whole(now.keptLocally)]);
  for (const p of run.published) {
    const leakage = asChange ? (p.change.leakage === null ? WITHHELD : signed(p.change.leakage)) : whole(p.leakage);
    t.push([shownInput(p.scenario.name), c.bold(score(p.score)), whole(p.round2), whole(p.round3), leakage, whole(p.keptLocally)]);
  }
  const todayShare = now.leakageShare === null ? '' : ` (today ${formatShare(now.leakageShare, 0)} of R1)`;
  const notes = [
    now.leakage !== null ? '' : asChange ? `Leakage is given as the change on today's${todayShare}, whose pounds are withheld to keep staff pay private.` : `Leakage in pounds is withheld to keep staff pay private${todayShare}.`,
    run.published.some((p) => [p.round2, p.round3, p.score, p.keptLocally].includes(null)) ? 'A scenario figure that would show staff pay the report withholds is withheld too.' : '',
    'Kept locally: R2 + R3. Step 10 in the Scenarios sheet, with its inputs to change.',
  ].filter(Boolean);
  return `${t.toString()}\n${c.dim(notes.join(' '))}`;
}

/** One line per warning code: `! CODE: message (3 times, first at file:line)`. */
export function renderWarnings(analysis: Analysis, c: ChalkInstance): string[] {
  return analysis.findings
    .summary()
    .filter((f) => f.severity !== 'info')
    .map((w) => {
      const where = w.first ? ` (${w.count > 1 ? `${w.count} times, first at` : 'at'} ${w.first})` : w.count > 1 ? ` (${w.count} times)` : '';
      return c.yellow(`! ${w.code}: ${shownMessage(w)}${where}`);
    });
}

export function renderCheck(analysis: Analysis, c: ChalkInstance, { width }: Layout = terminalLayout()): string {
  const lines: string[] = [];
  for (const input of analysis.inputs) {
    const s = input.source;
    lines.push(c.bold(`${s.role}: ${s.name}`));
    const layout = s.format === 'xlsx' ? `Excel workbook, sheet "${s.sheet}"` : `${s.encoding}${s.bom ? ` (byte-order mark: ${s.bom})` : ''}, delimiter ${JSON.stringify(s.delimiter)}`;
    lines.push(`  ${layout}, header on ${s.format === 'xlsx' ? 'row' : 'line'} ${s.headerLine}, ${s.headers.length} columns`);
    for (const choice of s.columns) {
      const how = choice.how === 'named' ? ' (as you named it)' : choice.how === 'values' ? ' (found by its values)' : '';
      lines.push(`  ${choice.field.padEnd(14)} ← ${quoteInput(choice.header)}${how}${choice.note ? c.dim(` — ${choice.note}`) : ''}`);
      for (const alt of choice.alternatives ?? []) lines.push(c.dim(`  ${''.padEnd(14)}   not ${quoteInput(alt.header)}: ${alt.why}`));
    }
    const balanced = input.rowsAccepted + input.rowsRejected === input.rowsRead;
    lines.push(
      `  rows read ${input.rowsRead}, accepted ${input.rowsAccepted}, rejected ${input.rowsRejected}${balanced ? '' : c.red(' — DO NOT RECONCILE')}` +
        (s.role === 'spend' ? `; total accepted ${formatPounds(input.accepted)}` : ''),
    );
    if (input.kind === 'contracts') lines.push(`  a contracts register: its amounts are annual contract values, not payments, and its start and end dates are not payment dates`);
    if (input.unattributableRows) lines.push(`  unattributable (redacted, placeholder or blank payees): ${input.unattributableRows} row(s), ${formatPounds(input.unattributable ?? 0)}, in the total, never located`);
    if (input.rowsBlank) lines.push(c.dim(`  blank rows skipped: ${input.rowsBlank}`));
    if (input.rowsSubtotal) lines.push(c.dim(`  subtotal rows skipped (not summed): ${input.rowsSubtotal}`));
    if (input.rowsRecovered) lines.push(c.yellow(`  rows recovered from damaged lines (a stray quote), read as whole rows: ${input.rowsRecovered}`));
    if (input.vat) {
      const v = input.vat;
      const how = { none: 'used as they are', switched: 'that column states it', added: `${quoteInput(v.vatColumn)} added`, subtracted: `${quoteInput(v.vatColumn)} taken off`, differs: c.yellow('the column states the other basis and there is no VAT column: used as they are') }[v.adjustment];
      lines.push(`  VAT basis ${v.basis}: amounts from ${quoteInput(v.amountColumn)} (${v.columnSays === 'not stated' ? 'its header does not say net or gross' : v.columnSays}), ${how}`);
    }
    if (input.excludedRows) lines.push(`  excluded by the project file's rules: ${input.excludedRows} rows, ${formatPounds(input.excluded ?? 0)}, accepted but outside the local share`);
    if (s.footer) {
      const stated = input.statedTotal === undefined ? '' : `; it states a total of ${formatPounds(input.statedTotal)}${input.statedTotal === input.accepted ? ', which agrees' : input.statedTotal > input.accepted ? `, ${formatPounds(input.statedTotal - input.accepted)} more than accepted` : `, ${formatPounds(input.accepted - input.statedTotal)} less than accepted`}`;
      lines.push(`  footer from line ${s.footer.line} (${input.footerRows ?? 0} rows) not read: ${shownRowText(quoteInput(s.footer.raw), s.name, analysis.inputs)}${stated}`);
    }
    for (const [code, n] of Object.entries(input.rejectedBy ?? {})) lines.push(`    rejected ${code}: ${n}`);
  }
  const byCode = analysis.findings.summary();
  if (byCode.length > 0) {
    const t = table(['Finding', 'Count', 'Example'], c, width);
    for (const f of byCode) t.push([`${f.code} (${f.severity})`, String(f.count), shownMessage(f)]);
    lines.push(t.toString());
  }
  const rejected = analysis.findings.details.filter((f) => f.raw !== undefined).slice(0, 10);
  for (const f of rejected) lines.push(c.dim(`  ${f.file}:${f.line} ${f.code}: ${shownRaw(f, analysis.inputs)}`));
  if (analysis.spend) {
    const spend = analysis.spend;
    lines.push(
      analysis.area
        ? `Suppliers: ${spend.suppliers}; local ${spend.localSuppliers}, not local ${spend.nonLocalSuppliers} (${formatShare(spend.locatedShare)} of spend located); unknown ${spend.unknownSuppliers}`
        : `Suppliers: ${spend.suppliers}; none placed, as no --area was given.`,
    );
  }
  return fitLines(lines.join('\n'), width);
}

/** The walk: each step's status and evidence, what to do next and the command that does it; then the first thing to do. */
export function renderSteps(steps: (StepStatus & { command?: string })[], c: ChalkInstance, { width }: Layout = terminalLayout()): string {
  const t = table(['#', 'Step', 'Status', 'Evidence', 'Next'], c, width);
  const colour = (s: StepStatus['state']) => (s === 'done' ? c.green(s) : s === 'needs data' ? c.yellow(s) : c.dim(s));
  for (const s of steps) t.push([String(s.number), s.title, colour(s.state), s.evidence, s.command ? `${s.next}\n${c.cyan(`$ ${s.command}`)}` : s.next]);
  const done = steps.filter((s) => s.state === 'done').length;
  const next = steps.find((s) => s.state !== 'done' && s.next !== '');
  const lines = [t.toString(), `${done} of ${steps.length} steps done.${next ? ` Next, step ${next.number} (${next.title.toLowerCase()}): ${next.next}` : ' Every step that can be done here is done.'}`];
  // The command on a line of its own, never wrapped, so that it can be copied whole.
  return `${fitLines(lines.join('\n'), width)}${next?.command ? `\n  ${c.cyan(next.command)}` : ''}`;
}
