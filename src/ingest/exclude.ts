import { UsageError } from '../errors.js';
import type { Pence } from '../money.js';

/**
 * Spend that is not procurement (levies, tax, pension contributions, grants to individuals, transfers
 * between public bodies) is taken out of the local-share denominator by rules in the project file.
 * It is never dropped: each rule's spend is its own line, and accepted = analysed + excluded.
 */
export interface ExcludeRule {
  /** The ledger's category (expense type, service …), compared whole, ignoring case and spacing. */
  category?: string;
  /** A supplier name (compared as grouping compares names) or the ledger's supplier id. */
  supplier?: string;
  /** A regular expression over the supplier name as written, ignoring case. */
  pattern?: string;
  reason: string;
}

/** One rule's spend, taken out of the analysis. */
export interface ExcludedSpend {
  /** The rule as a person reads it: `category "Pension Contributions"`, `pattern /HMRC/`. */
  rule: string;
  reason: string;
  amount: Pence;
  payments: number;
  suppliers: number;
}

export interface CompiledRule {
  index: number;
  category: string | undefined;
  supplier: string | undefined;
  /** The supplier condition as an id: trimmed, lower case. */
  supplierId: string | undefined;
  pattern: RegExp | undefined;
  line: ExcludedSpend;
  /** Supplier keys seen, for the count. */
  keys: Set<string>;
}

export function foldCategory(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function describeRule(rule: ExcludeRule): string {
  const parts: string[] = [];
  if (rule.category !== undefined) parts.push(`category "${rule.category}"`);
  if (rule.supplier !== undefined) parts.push(`supplier "${rule.supplier}"`);
  if (rule.pattern !== undefined) parts.push(`pattern /${rule.pattern}/`);
  return parts.join(' and ');
}

/** Checks each rule once, when the settings are read: a bad pattern is the user's to fix. */
export function checkExcludeRules(rules: readonly ExcludeRule[]): void {
  rules.forEach((rule, i) => {
    if (rule.pattern === undefined) return;
    try {
      new RegExp(rule.pattern, 'iu');
    } catch (error) {
      throw new UsageError(`exclude[${i}].pattern /${rule.pattern}/ is not a regular expression: ${(error as Error).message}.`, {
        hint: 'Write a JavaScript regular expression, e.g. "^HMRC\\b|PENSION FUND"; escape . ( ) [ ] with \\\\ when you mean them literally.',
      });
    }
  });
}

/**
 * Rules as the per-row path uses them. `normaliseName` is the supplier-name normalisation grouping uses,
 * passed in so this module stays free of the ledger.
 */
export function compileRules(rules: readonly ExcludeRule[], normaliseName: (name: string) => string): CompiledRule[] {
  return rules.map((rule, index) => ({
    index,
    category: rule.category === undefined ? undefined : foldCategory(rule.category),
    supplier: rule.supplier === undefined ? undefined : normaliseName(rule.supplier),
    supplierId: rule.supplier?.trim().toLowerCase(),
    pattern: rule.pattern === undefined ? undefined : new RegExp(rule.pattern, 'iu'),
    line: { rule: describeRule(rule), reason: rule.reason, amount: 0, payments: 0, suppliers: 0 },
    keys: new Set(),
  }));
}

/**
 * The rules that can apply to a spelling of a supplier, judged once per spelling: those whose supplier
 * and pattern conditions hold (a rule without them holds for every supplier). Null when none can.
 */
export function rulesForSupplier(rules: readonly CompiledRule[], text: string, normalised: string, supplierId: string): CompiledRule[] | null {
  const found = rules.filter(
    (rule) =>
      (rule.supplier === undefined || rule.supplier === normalised || (supplierId !== '' && rule.supplierId === supplierId.toLowerCase())) &&
      (rule.pattern === undefined || rule.pattern.test(text)),
  );
  return found.length === 0 ? null : found;
}

/** The first rule (in the project file's order) that takes a row of this category; undefined when none does. */
export function ruleForCategory(rules: readonly CompiledRule[], category: string): CompiledRule | undefined {
  let folded: string | undefined;
  for (const rule of rules) {
    if (rule.category === undefined) return rule;
    folded ??= foldCategory(category);
    if (rule.category === folded) return rule;
  }
  return undefined;
}
