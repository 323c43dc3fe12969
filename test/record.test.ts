import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import { loadProjectFile, resolveSettings } from '../src/config/settings.js';
import { summaryJson } from '../src/report/json.js';
import { withInputsNamed } from '../src/report/paths.js';
import { summaryRecord } from '../src/report/record.js';
import { cli } from './cli-helper.js';

/**
 * The summary record is the contract scripts keep year by year: a golden file pins the bundled project's, so
 * that any change to it is made on purpose (run with UPDATE_GOLDEN=1 to accept one, and say why in the commit).
 */
const PROJECT = resolve('fixtures/calder-valley-trust/project.json');
const GOLDEN = resolve('test/golden/calder-valley-trust.summary.json');

async function fixtureRecord() {
  const settings = resolveSettings(await loadProjectFile(PROJECT), PROJECT, {});
  return summaryJson(withInputsNamed(await analyse(settings, { now: () => new Date('2026-01-01T00:00:00Z') })), null);
}

describe('the summary record', () => {
  it('is the golden file for the bundled project (the clock and the tool version normalised)', async () => {
    const record = await fixtureRecord();
    const text = `${JSON.stringify({ ...record, tool: { ...record.tool, version: '<version>' } }, null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('holds nothing its schema does not describe, and what it holds parses back unchanged', async () => {
    const record = await fixtureRecord();
    expect(summaryRecord.strict().safeParse(record).success).toBe(true);
    expect(summaryRecord.parse(JSON.parse(JSON.stringify(record)))).toEqual(record);
  });

  it('names inputs relative to the project and fingerprints none of personal data', async () => {
    const { inputs, suppliers, spend } = await fixtureRecord();
    expect(inputs.map((i) => [i.role, i.file, i.sha256 === null])).toEqual([
      ['spend', 'payments-2024-25.csv', false],
      ['supplier register', 'supplier-register.csv', false],
      ['supplier survey', 'supplier-survey.csv', false],
      ['payroll', 'payroll-2024-25.csv', true],
      ['staff survey', 'staff-survey.csv', true],
      ['tenants', 'tenants.csv', false],
      ['GVA per job', 'gva-per-job.csv', false],
      ['framework questionnaire', 'framework-questionnaire.xlsx', false],
    ]);
    // Every supplier but the unattributable line, by spend; districts only, never a full postcode.
    expect(suppliers).toHaveLength(81);
    expect(spend?.suppliers).toBe(81);
    expect(suppliers.every((s) => s.district === null || /^[A-Z]{1,2}\d[A-Z\d]?$/.test(s.district))).toBe(true);
    expect(suppliers.reduce((sum, s) => sum + Math.round(s.amount * 100), 0)).toBe(47072258 - 4800);
  });

  it('schema --json-summary prints its JSON Schema', async () => {
    const { code, stdout } = await cli('schema', '--json-summary');
    expect(code).toBe(0);
    const schema = JSON.parse(stdout);
    expect(schema.properties.schemaVersion).toEqual({ type: 'number', const: 3 });
    expect(schema.required).toEqual(expect.arrayContaining(['suppliers', 'targets', 'inputs', 'settings', 'generatedAt']));
    expect(Object.keys(schema.properties.suppliers.items.properties)).toEqual(['name', 'supplierId', 'status', 'basis', 'postcodeSource', 'district', 'registerReason', 'amount', 'payments']);
  });
});
