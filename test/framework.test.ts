import { describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import { loadProjectFile, resolveSettings } from '../src/config/settings.js';
import { rateCharacteristic, assessCharacteristics } from '../src/framework/assess.js';
import { QUESTIONS } from '../src/framework/approach.js';
import { readAnswer } from '../src/ingest/framework-form.js';

describe('the rating rule for characteristics 2–7', () => {
  const yes = { met: true };
  const no = { met: false };
  const unanswered = { met: undefined };

  it('characteristic 3 (inclusive finance), worked by hand: bank with a credit union yes, local reserves no, fair credit yes → 2 of 3 met', () => {
    // Two-thirds met: evidenced with the organisation's own words, partly without them.
    expect(rateCharacteristic([yes, no, yes], 'We bank with Calder Valley Credit Union.')).toBe('evidenced');
    expect(rateCharacteristic([yes, no, yes], '')).toBe('partly');
  });

  it('one of three met is partly; none met is not yet; nothing answered is not assessed', () => {
    expect(rateCharacteristic([yes, no, no], 'words')).toBe('partly');
    expect(rateCharacteristic([no, no, unanswered], 'words')).toBe('not yet');
    expect(rateCharacteristic([unanswered, unanswered], 'words')).toBe('not assessed');
    // An unanswered item still counts against two-thirds: 2 of 4 is not enough.
    expect(rateCharacteristic([yes, yes, unanswered, unanswered], 'words')).toBe('partly');
  });

  it('reads answers as each question asks', () => {
    const q = (id: string) => QUESTIONS.find((x) => x.id === id)!;
    expect(readAnswer(q('3.1'), 'Yes', true)).toBe(true);
    expect(readAnswer(q('3.1'), 'maybe', true)).toBeNull();
    expect(readAnswer(q('4.2'), '0.6', true)).toBe(60);
    expect(readAnswer(q('4.2'), '60%', false)).toBe(60);
    expect(readAnswer(q('4.2'), '160', false)).toBeNull();
    expect(readAnswer(q('5.1'), '24', true)).toBe(24);
    expect(readAnswer(q('5.1'), '2.5', true)).toBeNull();
  });
});

describe('characteristics on a project', async () => {
  const PROJECT = 'fixtures/calder-valley-trust/project.json';
  const project = await loadProjectFile(PROJECT);
  const analysis = await analyse(
    resolveSettings({ ...project, inputs: { ...project.inputs, framework: undefined }, selfAssessment: { '3': { answers: { '3.1': true, '3.2': false, '3.3': true }, evidence: 'We bank with Calder Valley Credit Union.' } } }, PROJECT, {}),
  );
  const c = assessCharacteristics(analysis);

  it('rates characteristic 3 from the project file\'s answers, its words beside the rating', () => {
    expect(c[2]).toMatchObject({ number: 3, rating: 'evidenced', words: 'We bank with Calder Valley Credit Union.' });
    expect(c[2]!.items.map((i) => [i.id, i.answer, i.met])).toEqual([['3.1', 'yes', true], ['3.2', 'no', false], ['3.3', 'yes', true]]);
  });

  it('measures what the files measure: supplier diversity, local jobs, the Living Wage', () => {
    const items = new Map(c.flatMap((x) => x.items).map((i) => [i.id, i]));
    expect(items.get('2.m2')).toMatchObject({ met: false, answer: 'the 10 largest take 60.4%' });
    expect(items.get('2.m3')).toMatchObject({ met: true, answer: expect.stringContaining('52.2%') });
    expect(items.get('2.m4')).toMatchObject({ met: true, answer: '44 jobs in 5 tenants' });
    expect(items.get('5.m1')!.met).toBe(true);
    expect(items.get('6.m1')!.met).toBeUndefined();
    // Characteristic 6 has no answers and its one measure is not computed: not assessed.
    expect(c[5]!.rating).toBe('not assessed');
  });

  it('refuses an answer in the project file that its question cannot take, naming it', () => {
    expect(() => resolveSettings({ ...project, selfAssessment: { '4': { answers: { '4.2': 'lots' } } } }, PROJECT, {})).toThrow(/4\.2: lots is not a percentage/);
    expect(() => resolveSettings({ ...project, selfAssessment: { '4': { answers: { '5.1': 3 } } } }, PROJECT, {})).toThrow(/5\.1/);
  });
});
