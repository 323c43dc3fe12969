import type { Analysis } from '../../analyse.js';
import { FRAMEWORK_CREDIT, QUESTIONNAIRE_CREDIT, RATING_RULE } from '../../framework/approach.js';
import { assessCharacteristics, ratingState } from '../../framework/assess.js';
import { CENTRE, STATE_FILL, Sheet, bold } from './layout.js';

/**
 * Step 9's characteristics 2–7: each rating beside the items it follows from (the questionnaire's answers and the
 * figures the files measure) and the organisation's own words, with the rule that turns one into the other.
 */
export function frameworkSheet(analysis: Analysis): Sheet {
  const s = new Sheet('Framework');
  s.title('The Economic Resilience Framework: characteristics 2–7 (step 9)', 'Each rating follows from its items by the rule below; answers come from the questionnaire form or the project file.');
  const rated = assessCharacteristics(analysis).filter((c) => c.number > 1);
  s.section('Ratings');
  const header = s.header(['#', 'Characteristic', 'Rating', 'Items met', 'In your own words']);
  s.freeze(header);
  for (const c of rated) {
    const met = c.items.filter((i) => i.met === true).length;
    const row = s.line([c.number, c.name, c.rating, `${met} of ${c.items.length}`, c.words === '' ? 'none given' : c.words]);
    s.cell(row, 3).fill = STATE_FILL[ratingState(c.rating)];
    s.cell(row, 1).alignment = CENTRE;
  }
  s.section('How a rating follows from its items');
  for (const line of RATING_RULE) s.note(line);
  for (const c of rated) {
    s.section(`${c.number}. ${c.name}: ${c.rating}`);
    s.header(['Item', 'Question, or what the files measure', 'Answer or figure', 'Met']);
    for (const item of c.items) {
      const row = s.line([item.id, item.text, item.answer === '' ? 'not answered' : item.answer, item.met === undefined ? '—' : item.met ? 'yes' : 'no']);
      s.cell(row, 4).alignment = CENTRE;
      if (item.met !== undefined) s.cell(row, 4).fill = STATE_FILL[item.met ? 'done' : 'needs data'];
    }
    if (c.words !== '') s.line([bold('In your own words'), c.words]);
  }
  s.section('Credits');
  s.note(QUESTIONNAIRE_CREDIT);
  s.note(FRAMEWORK_CREDIT);
  s.fit({ 1: { min: 6, max: 18 }, 2: { min: 40, max: 60 }, 3: { min: 14, max: 36 }, 4: { min: 8, max: 10 }, 5: { max: 50 } });
  return s;
}
