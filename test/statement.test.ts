import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import { loadProjectFile, resolveSettings } from '../src/config/settings.js';
import { UserError } from '../src/errors.js';
import { describeFinding, describeForReader, FINDING_CODES, findingDefinition } from '../src/findings.js';
import { formatPounds } from '../src/money.js';
import { renderStatement, ukDate } from '../src/report/statement.js';
import { cli, FIXTURE, fixtureArgs } from './cli-helper.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-impact-statement-'));
});

const ORGANISATION = ['--organisation', 'Calder Valley Community Trust', '--period', '2024-25'];

/** The page's text, as a reader sees it: tags out, entities decoded, spaces collapsed. */
function text(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<\/?(cite|span)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The headline paragraph's text. */
function headline(html: string): string {
  const m = /<p class="lead" id="headline">([\s\S]*?)<\/p>/.exec(html);
  if (!m) throw new Error('no headline');
  return text(m[1]!);
}

async function statementOf(...args: string[]): Promise<{ html: string; json: any }> {
  const path = join(dir, `statement-${Math.random().toString(36).slice(2)}.html`);
  const run = await cli('run', ...args, '--no-report', '--json', '--statement', path);
  expect(run.code, run.stderr).toBe(0);
  return { html: readFileSync(path, 'utf8'), json: JSON.parse(run.stdout) };
}

describe('the HTML statement of the bundled organisation', () => {
  it('states the headline in words, with the score and its range', async () => {
    const { html } = await statementOf(...fixtureArgs(), ...ORGANISATION);
    expect(headline(html)).toBe('Every £1 of income to Calder Valley Community Trust generated a further £0.99 for the local economy (LM3 1.99, range 1.99–2.01)');
    expect(html).toContain('<title>Local economic impact: Calder Valley Community Trust, 2024-25</title>');
    expect(text(html)).toContain('Period 2024-25 (1 April 2024 to 31 March 2025)');
    expect(text(html)).toContain('Local means HX (postcode area), OL14 (postcode district)');
  });

  it('prints the figures the JSON and the terminal print, and withholds what they withhold', async () => {
    const { html, json } = await statementOf(...fixtureArgs(), ...ORGANISATION);
    const page = text(html);
    const pounds = (value: number) => formatPounds(Math.round(value * 100));
    expect(page).toContain(`${pounds(json.lm3.round1)} income`);
    expect(page).toContain(`${pounds(json.lm3.round2)} spent locally: Round 2 (66.0% of Round 1)`);
    expect(page).toContain(`${pounds(json.lm3.round3)} re-spent locally: Round 3 (50.3% of Round 2)`);
    expect(page).toContain(`${pounds(json.spend.local)} local (52.2%, 42 suppliers)`);
    expect(page).toContain(`${pounds(json.spend.nonLocal)} not local (46.8%, 34 suppliers)`);
    expect(page).toContain(`${pounds(json.spend.unknown)} location unknown (1.0%, 5 suppliers)`);
    for (const supplier of json.spend.topLeaking) expect(page).toContain(`${supplier.name} ${pounds(supplier.amount)}`);
    // Leakage in pounds is withheld (it would give one person's pay): the share is given, to the nearest 1%, and the pounds are said to be withheld.
    expect(json.leakage.total).toBeNull();
    expect(json.withheld).toContain('leakage.total');
    expect(page).toContain('Spend leakage 29% 29% of R1 known to leave the area; up to 31% if every unknown location is outside; in pounds withheld to keep staff pay private');
    expect(page).toContain(json.disclosure.statements[0]);
    expect(page).not.toMatch(/£[\d,.]+ known to leave/);
  });

  it('prints a withheld figure as withheld, never computing it from others', async () => {
    const analysis = await fixtureAnalysis();
    const published = structuredClone(analysis.published);
    published.lm3.round2 = null;
    published.lm3.round3 = null;
    const html = renderStatement({ ...analysis, published });
    const page = text(html);
    expect(page).toContain('pounds withheld spent locally: Round 2 (66.0% of Round 1)');
    expect(page).not.toContain(formatPounds(analysis.lm3!.round2));
    expect(page).not.toContain(formatPounds(analysis.lm3!.round3));
  });

  it('words its notes for a commissioner: what a warning means for the figures, not which flag to check', async () => {
    // The fixture's income (£1,250,000) is below spend + payroll cost (£1,292,180.30): SPENT_BEYOND_INCOME.
    const { html, json } = await statementOf(...fixtureArgs(), ...ORGANISATION);
    expect(json.findings.map((f: { code: string }) => f.code)).toContain('SPENT_BEYOND_INCOME');
    const notes = text(/<section class="notes">([\s\S]*?)<\/section>/.exec(html)![1]!);
    expect(notes).toContain(
      'More was spent in the period (£1,292,180.30, counting spend, excluded spend and payroll cost) than the income followed as Round 1 (£1,250,000.00): £42,180.30 was spent beyond that income (from reserves, for example).',
    );
    expect(notes).not.toContain('--income');
    expect(notes).not.toContain('SPENT_BEYOND_INCOME');
    expect(text(html)).not.toMatch(/--[a-z]/);
  });

  it('has a reader\'s wording for every finding it can show, with no command, flag or file to mend in it', () => {
    const args = new Proxy({}, { get: (_, key) => (typeof key === 'string' ? `<${key}>` : undefined) });
    for (const code of FINDING_CODES) {
      const definition = findingDefinition(code);
      const words = describeForReader({ code, args });
      // The statement shows the warnings that weaken a figure: each has its own wording for a reader.
      if (definition.weakens) expect(definition.reader, code).toBeDefined();
      if (definition.reader) {
        expect(words, code).not.toBe(describeFinding({ code, args }));
        expect(words, code).not.toMatch(/--[a-z]|`|run again|project file|local-impact /);
      }
    }
  });

  it('dates itself UK style from the clock it is given, and names the sources', async () => {
    const html = renderStatement(await fixtureAnalysis(), { now: new Date(2026, 11, 1) });
    expect(text(html)).toContain('Prepared 1 December 2026');
    expect(text(html)).toContain('Prepared on 1 December 2026 with local-impact');
    expect(ukDate('2025-03-31')).toBe('31 March 2025');
    expect(text(html)).toContain('NEF, The Money Trail, Sacks 2002');
    expect(text(html)).toContain('Based on Keep it Local (Locality, with NEF Consulting)');
    // No ONS data was used, so no licence is claimed.
    expect(html).not.toContain('Open Government Licence');
    // Self-contained: nothing fetched, nothing run.
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('lists the seven characteristics, and titles and describes each chart', async () => {
    const html = renderStatement(await fixtureAnalysis());
    for (const name of ['Positive flow of money and resources', 'Good quality services']) expect(html).toContain(name);
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html.match(/<title id="chart-/g)).toHaveLength(3);
    expect(html.match(/<desc id="chart-/g)).toHaveLength(3);
    expect(html.match(/<table class="alt">/g)).toHaveLength(3);
  });

  it('says "every £1 it spent" when Round 1 is the money spent, not an income', async () => {
    const args = fixtureArgs().slice(0, -2);
    const { html } = await statementOf(...args, ...ORGANISATION);
    expect(headline(html)).toMatch(/^Every £1 Calder Valley Community Trust spent generated a further £\d\.\d\d for the local economy \(LM3 \d\.\d\d, range \d\.\d\d–\d\.\d\d\)$/);
  });

  it('below the coverage rule gives only the range, and what is missing', async () => {
    const { html, json } = await statementOf(...fixtureArgs(), ...ORGANISATION, '--coverage-threshold', '100');
    expect(json.lm3.supported).toBe(false);
    const low = json.lm3.scoreLow.toFixed(2);
    const high = json.lm3.scoreHigh.toFixed(2);
    expect(headline(html)).toBe(
      `What each £1 of income to Calder Valley Community Trust generated for the local economy cannot be stated yet: the data allow LM3 ${low}–${high} ` +
        '(not a finding: only 99.0% of spend is located (100% needed); only 39 of 40 staff are placed by home postcode (100% needed))',
    );
    const page = text(html);
    expect(page).toContain(`What is missing Only 99.0% of spend is located (100% needed): ${formatPounds(Math.round(json.spend.unknown * 100))} of spend is with suppliers of unknown location.`);
    expect(page).toContain('Only 39 of 40 staff are placed by home postcode (100% needed): 1 staff have no usable home postcode.');
    expect(page).not.toContain('generated a further');
    expect(page).toContain('Local share of spend 52.2%–53.2%');
  });
});

describe('text from input files', () => {
  it('is escaped: a supplier named with a <script> tag is shown, never run', async () => {
    const spend = join(dir, 'payments.csv');
    writeFileSync(
      spend,
      [
        'Date,Transaction ID,Supplier,Supplier ID,Category,Supplier Postcode,Amount',
        '01/05/2024,T1,"<script>alert(""x"")</script> & Sons",S1,Services,LS1 4AP,9000.00',
        "02/05/2024,T2,Halifax Printers' Co-op,S2,Services,LS2 7HY,1000.00",
      ].join('\n'),
    );
    const { html } = await statementOf('--spend', spend, '--area', 'HX', '--organisation', 'A <b>bold</b> "trust"');
    expect(html).not.toMatch(/<script|<b>/);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons');
    expect(html).toContain('Halifax Printers&#39; Co-op');
    expect(html).toContain('<h1>A &lt;b&gt;bold&lt;/b&gt; &quot;trust&quot;</h1>');
  });
});

describe('--statement and "statement"', () => {
  it('keeps an existing statement unless --force, and refuses a name that is not .html', async () => {
    const path = join(dir, 'kept.html');
    writeFileSync(path, 'mine');
    const kept = await cli('run', ...fixtureArgs(), '--no-report', '--quiet', '--statement', path);
    expect(kept.code).toBe(2);
    expect(kept.stderr).toContain('already exists');
    expect(readFileSync(path, 'utf8')).toBe('mine');
    const notHtml = await cli('run', ...fixtureArgs(), '--no-report', '--quiet', '--statement', join(dir, 'statement.pdf'));
    expect(notHtml.code).toBe(2);
    expect(notHtml.stderr).toContain('.html');
    const forced = await cli('run', ...fixtureArgs(), '--no-report', '--quiet', '--force', '--statement', path);
    expect(forced.code).toBe(0);
    expect(readFileSync(path, 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('in a project file writes only inside its folder (OUTPUT_OUTSIDE_PROJECT), as "out" does', async () => {
    const folder = join(dir, 'project');
    mkdirSync(folder);
    const project = join(folder, 'project.json');
    writeFileSync(project, JSON.stringify({ area: 'HX', inputs: { spend: join(FIXTURE, 'payments-2024-25.csv') }, statement: '../elsewhere.html' }));
    const refused = await cli('run', project, '--no-report', '--quiet');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('"statement": "../elsewhere.html"');
    expect(refused.stderr).toContain('--statement');
    expect(existsSync(join(dir, 'elsewhere.html'))).toBe(false);
    let error: unknown;
    try {
      resolveSettings(await loadProjectFile(project), project, {});
    } catch (thrown) {
      error = thrown;
    }
    expect(error instanceof UserError && error.code).toBe('OUTPUT_OUTSIDE_PROJECT');
    // Inside the folder it is written, relative to the project file; the flag may name a file anywhere.
    writeFileSync(project, JSON.stringify({ area: 'HX', inputs: { spend: join(FIXTURE, 'payments-2024-25.csv') }, statement: 'statement.html' }));
    expect((await cli('run', project, '--no-report', '--quiet')).code).toBe(0);
    expect(existsSync(join(folder, 'statement.html'))).toBe(true);
    expect((await cli('run', project, '--no-report', '--quiet', '--statement', join(dir, 'elsewhere.html'))).code).toBe(0);
    expect(existsSync(join(dir, 'elsewhere.html'))).toBe(true);
  });
});

async function fixtureAnalysis() {
  const project = join(FIXTURE, 'project.json');
  return analyse(resolveSettings(await loadProjectFile(project), project, {}));
}
