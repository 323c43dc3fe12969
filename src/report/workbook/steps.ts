import type { Analysis } from '../../analyse.js';
import { APPROACH_CREDIT, FRAMEWORK_CREDIT } from '../../framework/approach.js';
import { assessCharacteristics, assessSteps, ratingState } from '../../framework/assess.js';
import { CENTRE, STATE_FILL, Sheet, bold } from './layout.js';

export function stepsSheet(analysis: Analysis): Sheet {
  const s = new Sheet('Steps');
  s.title('The 10 steps', 'Where this project stands on each step, from what this run could read and measure.');
  const steps = assessSteps(analysis);
  // The page in one line, for a board member: how far the walk has got, and the next thing to do.
  const done = steps.filter((step) => step.state === 'done').length;
  const next = steps.find((step) => step.state !== 'done' && step.next !== '');
  s.line([bold(`${done} of ${steps.length} steps done${next ? `. Next: step ${next.number}, ${next.title.toLowerCase()}: ${next.next}` : '.'}`)], { overflow: [1] });
  const header = s.header(['Step', 'Title', 'Status', 'Evidence', 'Next']);
  s.freeze(header);
  const centre = (row: number) => (s.cell(row, 1).alignment = CENTRE);
  for (const step of steps) {
    const row = s.line([step.number, step.title, step.state, step.evidence, step.next]);
    s.cell(row, 3).fill = STATE_FILL[step.state];
    centre(row);
  }
  s.filter(header, s.row, 5);
  s.section('The seven characteristics of a resilient local economy');
  s.header(['#', 'Characteristic', 'Evidenced by', 'Rating', 'Evidence']);
  for (const c of assessCharacteristics(analysis)) {
    const row = s.line([c.number, c.name, c.measurement, c.rating, c.evidence]);
    // The same colours as the steps: measured or evidenced, partly, not yet.
    s.cell(row, 4).fill = STATE_FILL[ratingState(c.rating)];
    centre(row);
  }
  s.section('Credits');
  s.note(APPROACH_CREDIT);
  s.note(FRAMEWORK_CREDIT);
  s.fit({ 1: { min: 6, max: 6 }, 2: { min: 24, max: 32 }, 3: { min: 14, max: 16 }, 4: { max: 50 }, 5: { max: 50 } });
  return s;
}
