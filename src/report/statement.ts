import type { Analysis } from '../analyse.js';
import { assessCharacteristics } from '../framework/assess.js';
import { FRAMEWORK_CREDIT, KEEP_IT_LOCAL_CREDIT } from '../framework/approach.js';
import { IMD_ATTRIBUTION, OGL_ATTRIBUTION } from '../geo/attribution.js';
import { formatMilliPercent } from '../domain/percent.js';
import { findingDefinition } from '../findings.js';
import { formatPounds, formatShare } from '../money.js';
import { contractValuesNote, round1BasisLabel, round3BasisLabel, readerMessage, shownInput, spendKindLabel, WITHHELD_PAY } from './format.js';
import { leakageHeadline, leakageNote, lm3Headline, lm3Note, localShareHeadline, statementHeadline, whyNot } from './headlines.js';
import { type BarRow, escapeHtml, rankedBars, type Segment, stackedBars } from './svg-charts.js';

/**
 * The one-page impact statement a finance lead attaches to an email: self-contained HTML (inline CSS and SVG, no
 * script, nothing fetched) that prints to one or two A4 pages. It prints what the pipeline gives it: pay-bearing
 * figures from `analysis.published`, headlines under the coverage rule, findings in their own words.
 */

export interface StatementOptions {
  /** The date the statement is prepared on (tests pass a fixed one). */
  now?: Date;
  /** One line of trend against last year (`run --previous`), worded by compare-words' trendLine. */
  trend?: string | null;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `1 December 2026`, UK style, from a date or a `2024-04-01`. */
export function ukDate(date: Date | string): string {
  if (typeof date === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
    return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}` : date;
  }
  return `${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}`;
}

const h = escapeHtml;
/** Text read from an input file (a supplier name, self-assessment evidence): on one line, bounded, escaped. */
const input = (text: string) => h(shownInput(text));

/** How many leaking suppliers the statement names. */
export const STATEMENT_TOP_LEAKING = 10;

export function renderStatement(analysis: Analysis, options: StatementOptions = {}): string {
  const now = options.now ?? new Date();
  const { settings } = analysis;
  const title = `Local economic impact: ${settings.organisation}${settings.period ? `, ${settings.period.label}` : ''}`;
  const body = [
    masthead(analysis, now),
    headline(analysis),
    options.trend ? `<p class="trend" id="trend">${h(options.trend)}.</p>` : '',
    keyFigures(analysis),
    moneyTrail(analysis),
    whereSpendWent(analysis),
    topLeaking(analysis),
    characteristics(analysis),
    `<div class="columns">${method(analysis)}${notes(analysis)}</div>`,
    credits(analysis, now),
  ];
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${h(`${analysis.tool.name} ${analysis.tool.version}`)}">
<title>${h(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main class="statement">
${body.filter((part) => part !== '').join('\n')}
</main>
</body>
</html>
`;
}

function masthead(analysis: Analysis, now: Date): string {
  const { settings, area } = analysis;
  const period = settings.period ? `${h(settings.period.label)} (${ukDate(settings.period.from)} to ${ukDate(settings.period.to)})` : 'not set: every dated payment was used';
  return `<header class="masthead">
<p class="kicker">Local economic impact statement</p>
<h1>${h(settings.organisation)}</h1>
<dl class="scope">
<div><dt>Period</dt><dd>${period}</dd></div>
<div><dt>Local means</dt><dd>${area ? h(area.terms.join(', ')) : 'no area given'}</dd></div>
<div><dt>Prepared</dt><dd>${ukDate(now)}</dd></div>
</dl>
</header>`;
}

function headline(analysis: Analysis): string {
  const { lm3, headlines, settings } = analysis;
  if (!lm3 || !headlines) return `<section class="headline"><p class="lead">No local multiplier: the statement needs spend and an area.</p></section>`;
  const words = statementHeadline(settings.organisation, lm3, analysis.published.lm3, headlines.lm3, headlines);
  const missing = words.missing.length === 0 ? '' : `<div class="missing"><h2>What is missing</h2><ul>${words.missing.map((line) => `<li>${h(line)}</li>`).join('')}</ul></div>`;
  return `<section class="headline${words.supported ? '' : ' not-a-finding'}">
<p class="lead" id="headline">${h(words.lead)} <span class="detail">${h(words.detail)}</span></p>
${missing}
</section>`;
}

function keyFigures(analysis: Analysis): string {
  const { spend, workforce, lm3, leakage, headlines, ledger } = analysis;
  const shown = analysis.published;
  const figures: [string, string, string][] = [];
  // Why a range is not a finding is said once, under the headline.
  const range = 'the range the unknowns allow: not a finding (see what is missing)';
  if (lm3 && headlines) figures.push(['LM3', lm3Headline(lm3, shown.lm3, headlines.lm3), headlines.lm3.supported || lm3.score === undefined ? lm3Note(lm3, shown.lm3, headlines.lm3, headlines) : range]);
  if (spend && headlines) figures.push(['Local share of spend', localShareHeadline(headlines.localShare), headlines.localShare.supported ? `of ${formatPounds(spend.total)} ${ledger ? spendKindLabel(ledger.kind) : 'spend'} analysed` : range]);
  if (leakage && headlines) figures.push(['Spend leakage', leakageHeadline(shown.leakage, headlines.leakage, shown.percentDigits.leakage), headlines.leakage.supported ? leakageNote(shown.leakage, headlines.leakage, headlines, shown.percentDigits.leakage) : `${range}${shown.leakage.total === null ? '; in pounds withheld to keep staff pay private' : ''}`]);
  if (workforce) {
    const pay = shown.workforce.localPayShare === null ? `share of gross pay ${WITHHELD_PAY}` : `${formatShare(shown.workforce.localPayShare)} of gross pay`;
    figures.push(['Staff living locally', `${workforce.localStaff} of ${workforce.staff}`, `${workforce.localFte} of ${workforce.fte} FTE; ${pay}`]);
  }
  if (figures.length === 0) return '';
  return `<section class="figures" aria-label="Key figures">${figures.map(([name, value, note]) => `<div class="figure"><h3>${h(name)}</h3><p class="value">${h(value)}</p><p class="note">${h(note)}</p></div>`).join('')}</section>`;
}

/** A text alternative for a chart: the same figures as a table, for screen readers and text-only mail. */
function textAlternative(caption: string, head: string[], rows: string[][]): string {
  return `<table class="alt"><caption>${h(caption)}</caption><thead><tr>${head.map((c) => `<th scope="col">${h(c)}</th>`).join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((c, i) => (i === 0 ? `<th scope="row">${c}</th>` : `<td>${c}</td>`)).join('')}</tr>`).join('')}</tbody></table>`;
}

function moneyTrail(analysis: Analysis): string {
  const { lm3, headlines } = analysis;
  if (!lm3 || !headlines || lm3.score === undefined) return '';
  const shown = analysis.published.lm3;
  const digits = analysis.published.percentDigits;
  const pounds = (pence: number | null) => (pence === null ? 'pounds withheld' : formatPounds(pence));
  // Bar lengths, as fractions of Round 1, from published figures only: pounds where published, else the shares.
  const r2 = shown.round1 !== null && shown.round1 > 0 && shown.round2 !== null ? shown.round2 / shown.round1 : shown.round2Share;
  const r3 = shown.round1 !== null && shown.round1 > 0 && shown.round3 !== null ? shown.round3 / shown.round1 : r2 !== null && shown.round3Share !== null ? r2 * shown.round3Share : null;
  if (r2 === null || r3 === null) {
    return `<section class="trail"><h2>The money trail</h2><p>The rounds are withheld to keep staff pay private.</p></section>`;
  }
  const leaving = analysis.published.leakage.share;
  const share = (value: number | null, d: number) => (value === null ? 'share withheld' : formatShare(value, d));
  const round1Segments: Segment[] = [{ kind: 'local', fraction: r2, label: `${pounds(shown.round2)} spent locally: Round 2 (${share(shown.round2Share, digits.rounds)} of Round 1)` }];
  if (leaving !== null) round1Segments.push({ kind: 'leaving', fraction: leaving, label: `${formatShare(leaving, digits.leakage)} known to leave the area: suppliers located outside, staff living outside` });
  round1Segments.push({ kind: 'other', fraction: Math.max(0, 1 - r2 - (leaving ?? 0)), label: 'the rest: suppliers and staff of unknown location, employer on-costs, money not spent' });
  const rows: BarRow[] = [
    { heading: 'Round 1', subheading: `${pounds(shown.round1)} ${lm3.round1Basis === 'income' ? 'income' : 'spent'}`, segments: round1Segments },
    {
      heading: 'Round 2',
      subheading: pounds(shown.round2),
      segments: [
        { kind: 'local', fraction: r3, label: `${pounds(shown.round3)} re-spent locally: Round 3 (${share(shown.round3Share, digits.rounds)} of Round 2)` },
        { kind: 'leaving', fraction: Math.max(0, r2 - r3), label: 'not re-spent locally: it leaves the area (spending elsewhere, tax, savings)' },
      ],
    },
    { heading: 'Round 3', subheading: `${pounds(shown.round3)}${ROUND3_BASIS[lm3.round3Basis]}`, segments: [{ kind: 'local', fraction: r3, label: `re-spent locally by local suppliers and staff` }] },
  ];
  const caveat = headlines.lm3.supported ? '' : `<p class="caveat">As measured, with unknown locations counted as not local: not a finding (see what is missing, above).</p>`;
  const chart = stackedBars(
    { id: 'chart-trail', title: 'The money trail: Round 1 to Round 3', desc: `Of Round 1 (${pounds(shown.round1)}), ${pounds(shown.round2)} was spent locally (Round 2), and ${pounds(shown.round3)} of that was re-spent locally (Round 3).` },
    rows,
  );
  return `<section class="trail"><h2>The money trail</h2>
<p class="intro">How much of each round stays in the local economy. Bars are to scale against Round 1.</p>
<figure>${chart}<figcaption class="alt">${textAlternative('The money trail', ['Round', 'Amount', 'Stays local'], [
    ['Round 1', h(pounds(shown.round1)), h(`${share(shown.round2Share, digits.rounds)} spent locally`)],
    ['Round 2', h(pounds(shown.round2)), h(`${share(shown.round3Share, digits.rounds)} re-spent locally`)],
    ['Round 3', h(pounds(shown.round3)), h(round3BasisLabel(lm3.round3Basis))],
  ])}</figcaption></figure>${caveat}</section>`;
}

const ROUND3_BASIS: Record<NonNullable<Analysis['lm3']>['round3Basis'], string> = { survey: ', from surveys', assumed: ', estimated', none: ', not traced' };

function whereSpendWent(analysis: Analysis): string {
  const { spend, headlines, ledger } = analysis;
  if (!spend || spend.total <= 0) return '';
  const part = (pence: number) => Math.max(0, pence) / spend.total;
  const rows: [string, number, number, 'local' | 'leaving' | 'unknown'][] = [
    ['local', spend.local, spend.localSuppliers, 'local'],
    ['not local', spend.nonLocal, spend.nonLocalSuppliers, 'leaving'],
    ['location unknown', spend.unknown, spend.unknownSuppliers, 'unknown'],
  ];
  const line = (name: string, pence: number, suppliers: number) => `${formatPounds(pence)} ${name} (${formatShare(part(pence))}, ${suppliers} supplier${suppliers === 1 ? '' : 's'})`;
  const chart = stackedBars(
    { id: 'chart-spend', title: 'Where spend went', desc: `Of ${formatPounds(spend.total)} spend analysed: ${rows.map(([name, pence]) => `${formatPounds(pence)} ${name}`).join(', ')}.` },
    [{ heading: ledger?.kind === 'contracts' ? 'Contracts' : 'Spend analysed', subheading: formatPounds(spend.total), segments: rows.map(([name, pence, suppliers, kind]) => ({ kind, fraction: part(pence), label: line(name, pence, suppliers) })) }],
  );
  const contracts = contractValuesNote(analysis.inputs, analysis.settings.period?.label);
  const located = headlines ? `<p class="intro">${h(`${formatShare(spend.locatedShare)} of spend is located (${formatMilliPercent(headlines.coverage.threshold, 0)} needed for a finding). Spend of unknown location is never counted as leaking.`)}</p>` : '';
  return `<section class="spend"><h2>Where spend went</h2>${located}
<figure>${chart}<figcaption class="alt">${textAlternative('Where spend went', ['Suppliers', 'Spend', 'Share'], rows.map(([name, pence, suppliers]) => [h(`${name} (${suppliers})`), h(formatPounds(pence)), h(formatShare(part(pence)))]))}</figcaption></figure>${contracts ? `<p class="caveat">${h(contracts)}</p>` : ''}</section>`;
}

/** A name short enough to sit beside its bar; the table beneath gives it in full. */
function barName(name: string): string {
  const characters = [...shownInput(name)];
  return characters.length > 40 ? `${characters.slice(0, 39).join('')}…` : characters.join('');
}

function topLeaking(analysis: Analysis): string {
  const { spend } = analysis;
  if (!spend) return '';
  const top = spend.topLeaking.slice(0, STATEMENT_TOP_LEAKING);
  if (top.length === 0) return `<section class="leaking"><h2>Top leaking suppliers</h2><p>No spend with suppliers located outside the area.</p></section>`;
  const largest = Math.max(...top.map((s) => s.amount));
  const chart = rankedBars(
    { id: 'chart-leaking', title: top.length === 1 ? 'The supplier located outside the area' : `The ${top.length} largest suppliers located outside the area`, desc: top.map((s) => `${shownInput(s.name)}: ${formatPounds(s.amount)}`).join('; ') },
    top.map((s) => ({ name: barName(s.name), fraction: s.amount / largest, value: formatPounds(s.amount) })),
    'leaving',
  );
  return `<section class="leaking"><h2>${top.length === 1 ? 'The leaking supplier' : `Top ${top.length} leaking suppliers`}</h2>
<p class="intro">Spend with suppliers located outside the area: the first places to look for a local alternative.</p>
<figure>${chart}<figcaption class="alt">${textAlternative('Top leaking suppliers', ['Supplier', 'Spend'], top.map((s) => [input(s.name), h(formatPounds(s.amount))]))}</figcaption></figure></section>`;
}

/** Evidence holds the tool's own sentences and the project file's self-assessment: a paragraph, but bounded. */
const EVIDENCE_CHARACTERS = 400;

function characteristics(analysis: Analysis): string {
  const rows = assessCharacteristics(analysis)
    .map((c) => `<tr><td class="n">${c.number}</td><th scope="row">${h(c.name)}</th><td class="rating">${h(c.rating)}${c.rating === c.measurement ? '' : `<span class="how">${h(c.measurement)}</span>`}</td><td>${c.evidence === '' ? '<span class="none">no evidence given</span>' : h(shownInput(c.evidence, EVIDENCE_CHARACTERS))}</td></tr>`)
    .join('');
  return `<section class="characteristics"><h2>The seven characteristics of a resilient local economy</h2>
<table><thead><tr><th scope="col"></th><th scope="col">Characteristic</th><th scope="col">Rating</th><th scope="col">Evidence</th></tr></thead><tbody>${rows}</tbody></table>
<p class="source">${h(FRAMEWORK_CREDIT)} Characteristic 1 is measured from the payments and payroll; 2–7 are rated evidenced, partly or not yet from the organisation's answers to a questionnaire and the figures its files measure (the workbook's Framework sheet states the rule and each item).</p></section>`;
}

function method(analysis: Analysis): string {
  const { lm3, settings } = analysis;
  const items = [
    'LM3 (Local Multiplier 3; NEF, <cite>The Money Trail</cite>, Sacks 2002) = (Round 1 + Round 2 + Round 3) ÷ Round 1, between 1 and 3.',
    `Round 1: ${h(lm3 ? round1BasisLabel(lm3.round1Basis) : 'the income followed')}. Round 2: payments to local suppliers and ${settings.wages} pay of staff who live locally (by home postcode). Round 3: what local suppliers and staff re-spend locally${h(lm3 ? ROUND3_BASIS[lm3.round3Basis] : ', not traced')}.`,
    'Spend with suppliers of unknown location is neither local nor leaking: the central figures count it as not local, the high end of each range as local.',
    `A figure is stated as a finding only when at least ${h(formatMilliPercent(settings.coverageThreshold, 0))} of spend, and of staff, is located; otherwise only the range is given.`,
    'No figure here, nor any combination of them, shows the pay of fewer than three people.',
  ];
  return `<section class="method"><h2>Method in brief</h2><ul>${items.map((item) => `<li>${item}</li>`).join('')}</ul></section>`;
}

function notes(analysis: Analysis): string {
  const disclosure = analysis.disclosure.statements.map((s) => h(s));
  const consent = analysis.disclosure.consent === undefined ? [] : [h(`Staff pay is published with consent: ${analysis.disclosure.consent}.`)];
  // A commissioner needs the warnings that weaken a figure; the rest are in the workbook. Those the headline explains are not repeated.
  const explained = new Set<string>(analysis.headlines?.lm3.reasons ?? []);
  const summary = analysis.findings.summary().filter((f) => f.severity !== 'info');
  const shown = summary.filter((f) => findingDefinition(f.code).weakens === true && !explained.has(f.code));
  // In words only: a finding's code is the workbook's (Data quality, Findings), not the commissioner's.
  const warnings = shown.map((f) => h(readerMessage(f)));
  const others = summary.length - shown.length - summary.filter((f) => explained.has(f.code)).length;
  if (others > 0) warnings.push(h(`${others} other warning${others === 1 ? '' : 's'} about the input files (rows not used, postcodes to check) ${others === 1 ? 'is' : 'are'} in the workbook's Data quality sheet.`));
  const lines = [...disclosure, ...consent, ...warnings];
  if (lines.length === 0) return '';
  return `<section class="notes"><h2>Notes on the data</h2><ul>${lines.map((line) => `<li>${line}</li>`).join('')}</ul></section>`;
}

function credits(analysis: Analysis, now: Date): string {
  const { directory, deprivation } = analysis.referenceData;
  const licence = [directory ? OGL_ATTRIBUTION : '', deprivation.length > 0 ? IMD_ATTRIBUTION : ''].filter(Boolean).map((line) => `<p class="licence">${h(line)}</p>`).join('');
  return `<footer class="credits">
<p>${h(KEEP_IT_LOCAL_CREDIT)}</p>
${licence}<p>Prepared on ${ukDate(now)} with ${h(`${analysis.tool.name} ${analysis.tool.version}`)} from the organisation's own records; the workbook report holds the workings behind every figure.</p>
</footer>`;
}

/** Print first: A4, one or two pages; greyscale-safe (the charts carry patterns, the text carries the meaning). */
const STYLE = `
@page { size: A4; margin: 13mm 15mm 12mm 15mm; }
:root { --ink: #1a1a1a; --muted: #555; --rule: #c9c4b8; --local: #0e5a52; --paper: #fff; --sans: "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; --serif: Georgia, "Liberation Serif", "DejaVu Serif", serif; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #f3f1ec; color: var(--ink); font: 9.5pt/1.38 var(--sans); }
.statement { max-width: 210mm; margin: 0 auto; padding: 13mm 15mm; background: var(--paper); }
h1, h2, h3 { font-family: var(--serif); font-weight: normal; margin: 0; }
h1 { font-size: 22pt; line-height: 1.15; }
h2 { font-size: 12pt; margin: 0 0 1.5mm; padding-bottom: 0.8mm; border-bottom: 0.6pt solid var(--rule); }
h3 { font: bold 7.5pt/1.2 var(--sans); text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); }
section, figure { margin: 0 0 4mm; break-inside: avoid; page-break-inside: avoid; }
figure { margin: 0; }
.kicker { margin: 0 0 1mm; font-size: 8pt; text-transform: uppercase; letter-spacing: 0.14em; color: var(--local); font-weight: bold; }
.scope { display: flex; flex-wrap: wrap; gap: 0.5mm 8mm; margin: 1.5mm 0 0; font-size: 9pt; }
.scope div { display: flex; gap: 2mm; }
.scope dt { color: var(--muted); }
.scope dd { margin: 0; }
.masthead { border-bottom: 1.5pt solid var(--ink); padding-bottom: 2.5mm; margin-bottom: 4mm; }
.headline .lead { font: 20pt/1.2 var(--serif); margin: 0 0 1mm; }
.headline .detail { display: block; font: 11pt/1.3 var(--sans); margin-top: 1.5mm; color: var(--muted); }
.not-a-finding .lead { font-size: 16pt; }
.trend { font: 12pt/1.3 var(--sans); margin: 0 0 3mm; }
.missing { border-left: 2.5pt solid #8a6d1f; padding: 0.5mm 0 0.5mm 3.5mm; margin-top: 2mm; }
.missing h2 { border: 0; font-size: 10.5pt; margin: 0; padding: 0; }
.missing ul { margin: 0.5mm 0 0; padding-left: 4mm; }
.figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 4mm; border-top: 0.6pt solid var(--rule); border-bottom: 0.6pt solid var(--rule); padding: 2.5mm 0; }
.figure .value { font: 17pt/1.15 var(--serif); margin: 0.8mm 0 0.5mm; white-space: nowrap; }
.figure .note { margin: 0; font-size: 7.5pt; color: var(--muted); line-height: 1.3; }
.intro, .caveat, .source { margin: 0 0 1.5mm; font-size: 8pt; color: var(--muted); }
.caveat { color: #6b4f0a; }
.chart { display: block; }
.alt { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; }
.characteristics th, .characteristics td { text-align: left; vertical-align: top; padding: 0.8mm 2mm 0.8mm 0; border-bottom: 0.4pt solid var(--rule); }
.characteristics thead th { font-weight: normal; color: var(--muted); font-size: 7.5pt; }
.characteristics .n { width: 5mm; color: var(--muted); }
.characteristics tbody th { font-weight: bold; width: 72mm; }
.characteristics .how { display: block; color: var(--muted); font-size: 7pt; }
.characteristics .rating { width: 26mm; }
.none { color: var(--muted); font-style: italic; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; }
.columns section { margin-bottom: 3mm; }
.method ul, .notes ul { margin: 0; padding-left: 3.5mm; font-size: 7.8pt; line-height: 1.32; }
.method li, .notes li { margin-bottom: 0.8mm; }
.credits { border-top: 0.6pt solid var(--rule); padding-top: 1.5mm; font-size: 7pt; color: var(--muted); break-inside: avoid; }
.credits p { margin: 0 0 0.8mm; }
@media print {
  body { background: none; }
  .statement { max-width: none; margin: 0; padding: 0; }
}
`;
