import { describe, expect, it } from 'vitest';
import { describeFinding } from '../src/findings.js';
import { quoteInput, SHOWN_INPUT_CHARACTERS, shownInput, shownMessage } from '../src/report/format.js';

describe('text from an input file, as the terminal and the workbook show it', () => {
  it('is as it was when short and on one line', () => {
    expect(shownInput('Acme Ltd, Halifax')).toBe('Acme Ltd, Halifax');
    expect(quoteInput('Acme Ltd, Halifax')).toBe('"Acme Ltd, Halifax"');
  });

  it('shows line breaks and control characters, so it stays on one line and cannot move the cursor', () => {
    expect(shownInput('"x\ny",1')).toBe('"x⏎y",1');
    expect(shownInput('a\r\nb\rc\td\u001b[31me\u007f\u0000')).toBe('a⏎b␍c␉d␛[31me␡␀');
    expect(shownInput('pay\u0085ee\u202elive\u200b')).toBe('pay<U+0085>ee<U+202E>live<U+200B>');
  });

  it('is cut after 120 characters, with its whole length stated', () => {
    const damaged = `99.00\n${'x'.repeat(200_000)}`;
    expect(shownInput(damaged)).toBe(`99.00⏎${'x'.repeat(114)}… (200,006 characters in all)`);
    expect(quoteInput(damaged)).toBe(`"99.00⏎${'x'.repeat(114)}…" (200,006 characters in all)`);
    expect(shownInput('y'.repeat(SHOWN_INPUT_CHARACTERS))).toBe('y'.repeat(120));
    expect(shownInput('y'.repeat(SHOWN_INPUT_CHARACTERS + 1))).toBe(`${'y'.repeat(120)}… (121 characters in all)`);
  });

  it('counts characters as a reader does, never splitting one', () => {
    expect(shownInput('😀'.repeat(130))).toBe(`${'😀'.repeat(120)}… (130 characters in all)`);
  });

  it("goes into a finding's words for the reports; --json's words keep it whole", () => {
    const value = `99.00\n${'x'.repeat(5_000)}`;
    const finding = { code: 'AMOUNT_UNPARSEABLE', args: { value } } as const;
    expect(shownMessage(finding)).toContain(`Amount "99.00⏎${'x'.repeat(114)}…" (5,006 characters in all) is not a number of pounds`);
    expect(describeFinding(finding)).toContain(`Amount "${value}" is not`);
    // A supplier's name is input text too, wherever a finding names it.
    expect(shownMessage({ code: 'SURVEY_SUPPLIER_NOT_LOCAL', args: { supplier: 'z'.repeat(1_000) } })).toContain(`"${'z'.repeat(120)}…" (1,000 characters in all)`);
  });
});
