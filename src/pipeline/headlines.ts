import type { Settings } from '../config/settings.js';
import { formatMilliPercent } from '../domain/percent.js';
import { UsageError, UserError } from '../errors.js';
import { describeFinding, type Finding, findingDefinition, type FindingCode, type FindingLog } from '../findings.js';
import type { FileTally } from '../ingest/spend.js';
import { assessHeadlines, type Headlines } from '../measures/headlines.js';
import type { Lm3 } from '../measures/lm3.js';
import { reconcileRound1, type Round1Reconciliation } from '../measures/reconcile.js';
import type { SpendMeasures } from '../measures/spend.js';
import type { WorkforceMeasures } from '../measures/workforce.js';
import { formatPounds, formatShare, type Pence } from '../money.js';

/**
 * The stage between measuring and reporting that decides what the figures can claim: which headlines
 * are findings (coverage), whether Round 1 can be the money followed (bounds), where R1 went, and
 * which warnings weaken a headline. Renderers print what it decides.
 */
export interface HeadlineStage {
  headlines: Headlines;
  reconciliation: Round1Reconciliation;
  findings: Finding[];
}

export function judgeHeadlines(input: {
  settings: Settings;
  spend: SpendMeasures;
  excluded: Pence;
  workforce: WorkforceMeasures | undefined;
  /** Pay by where staff live, under the wages convention the rounds use. */
  pay: { local: Pence; nonLocal: Pence; unknown: Pence };
  lm3: Lm3;
  tiers?: readonly { local: Pence; nonLocal: Pence; unknown: Pence }[];
}): HeadlineStage {
  const { settings, spend, workforce, lm3 } = input;
  const headlines = assessHeadlines({
    spend,
    staff: workforce && { staff: workforce.staff, unknownStaff: workforce.unknownStaff },
    round1: lm3.round1,
    leakage: input.spend.nonLocal + input.pay.nonLocal,
    tiers: input.tiers,
    threshold: settings.coverageThreshold,
  });
  const reconciliation = reconcileRound1({
    round1: lm3.round1,
    round1Basis: lm3.round1Basis,
    spend,
    excluded: input.excluded,
    pay: input.pay,
    grossPay: workforce?.grossPay ?? 0,
    onCosts: workforce ? workforce.employerNi + workforce.employerPension : 0,
  });
  const findings: Finding[] = [];
  const { coverage } = headlines;
  const threshold = formatMilliPercent(settings.coverageThreshold, 0);
  if (!coverage.spendMet) {
    findings.push({
      code: 'SPEND_UNLOCATED',
      args: {
        located: formatShare(coverage.spendLocatedShare),
        unknown: formatShare(spend.unknownShare),
        amount: formatPounds(coverage.unlocatedSpend),
        suppliers: spend.unknownSuppliers,
        unattributable: spend.unattributable > 0 ? formatPounds(spend.unattributable) : undefined,
        threshold,
      },
    });
  }
  if (!coverage.staffMet) findings.push({ code: 'STAFF_BELOW_COVERAGE', args: { located: coverage.staffLocated, staff: coverage.staff, threshold } });
  if (lm3.round1Basis === 'income' && reconciliation.notSpent < 0) {
    findings.push({
      code: 'SPENT_BEYOND_INCOME',
      args: { round1: formatPounds(lm3.round1), spent: formatPounds(lm3.round1 - reconciliation.notSpent), beyond: formatPounds(-reconciliation.notSpent) },
    });
  }
  return { headlines, reconciliation, findings };
}

/** Rejections that say a file was misread: not the rows the period or a repeated transaction took out on purpose. */
const DELIBERATE = new Set<FindingCode>(['DATE_OUTSIDE_PERIOD', 'DUPLICATE_TRANSACTION']);

const SURVEY_ROLES = ['supplier survey', 'staff survey'];

/**
 * `ROWS_REJECTED` for each input of which more than 1% of rows could not be read; for survey returns, where each
 * row is a respondent whose answer moves the mean, `SURVEY_RETURNS_REJECTED` for any return not used (other than a
 * staff return from someone living outside the area, left out on purpose).
 */
export function rejectionFindings(inputs: readonly FileTally[]): Finding[] {
  const findings: Finding[] = [];
  for (const role of SURVEY_ROLES) {
    const returns = inputs.filter((input) => input.source.role === role);
    const read = returns.reduce((n, input) => n + input.rowsRead, 0);
    const rejected = returns.reduce((n, input) => n + input.rowsRejected - (input.rowsNotLocal ?? 0), 0);
    if (rejected > 0) findings.push({ code: 'SURVEY_RETURNS_REJECTED', args: { role, rejected, read } });
  }
  for (const input of inputs) {
    if (SURVEY_ROLES.includes(input.source.role)) continue;
    let deliberate = 0;
    for (const [code, n] of Object.entries(input.rejectedBy ?? {})) if (DELIBERATE.has(code as FindingCode)) deliberate += n ?? 0;
    const rejected = input.rowsRejected - deliberate;
    const money = input.rejectedAmount ?? 0;
    const rowsOver = input.rowsRead > 0 && rejected * 100 > input.rowsRead;
    // Money too: one rejected row can hold most of a file's spend.
    const moneyOver = money > 0 && money * 100 > input.accepted + money;
    if (rowsOver || moneyOver) {
      findings.push({
        code: 'ROWS_REJECTED',
        file: input.source.name,
        args: { rows: rejected, read: input.rowsRead, file: input.source.name, share: formatShare(rejected / input.rowsRead), money: money > 0 ? formatPounds(money) : undefined, moneyShare: money > 0 ? formatShare(money / (input.accepted + money)) : undefined },
      });
    }
  }
  return findings;
}

/** A run whose Round 1 cannot be the money followed writes nothing: the figures would break 1 ≤ LM3 ≤ 3. */
export function refuseUnreportable(findings: FindingLog): void {
  const refusal = findings.details.find((f) => f.code === 'INCOME_BELOW_LOCAL_SPEND' || f.code === 'ROUNDS_OUT_OF_BOUNDS');
  if (refusal) throw new UsageError(describeFinding(refusal), { code: refusal.code });
}

/** Under `--strict`, the warnings that weaken a headline fail the run (exit 1, nothing written), unless allowed. */
export function strictFailures(findings: FindingLog, allow: readonly string[]): FindingCode[] {
  const allowed = new Set(allow.map((code) => code.trim().toUpperCase()));
  return findings
    .summary()
    .filter((f) => findingDefinition(f.code).weakens === true && !allowed.has(f.code))
    .map((f) => f.code);
}

export function enforceStrict(findings: FindingLog, allow: readonly string[]): void {
  const failing = strictFailures(findings, allow);
  if (failing.length === 0) return;
  const lines = findings.summary().filter((f) => failing.includes(f.code)).map((f) => `  ${f.code}: ${f.message}`);
  throw new UserError(`--strict: ${failing.length} warning(s) weaken the headline figures, so no report was written:\n${lines.join('\n')}`, {
    exitCode: 1,
    code: 'STRICT',
    hint: `Fix them, or accept each knowingly with --allow ${failing[0]}${failing.length > 1 ? ` (repeatable: ${failing.map((c) => `--allow ${c}`).join(' ')})` : ''}.`,
  });
}

/** Round 3 that rests on an assumption, or on nothing, and Round 1 that is not an income given. */
export function round3Findings(settings: Settings, lm3: Lm3): Finding[] {
  const findings: Finding[] = [];
  if (settings.income === undefined) findings.push({ code: 'INCOME_NOT_GIVEN' });
  const parts = [
    { part: 'suppliers', basis: lm3.round3SuppliersBasis, money: lm3.round2Suppliers, percent: settings.assumptions.supplierPercent },
    { part: 'staff', basis: lm3.round3StaffBasis, money: lm3.round2Staff, percent: settings.assumptions.staffPercent },
  ];
  for (const { part, basis, money, percent } of parts) {
    if (money === 0) continue;
    if (basis === 'assumed') {
      const source = settings.assumptions.source ? `, ${settings.assumptions.source}` : '';
      findings.push({ code: 'ROUND3_ASSUMED', args: { part, detail: `${(percent ?? 0) / 1000}% re-spent locally${source}` } });
    } else if (basis === 'none') {
      findings.push({ code: 'ROUND3_NONE', args: { part } });
    }
  }
  return findings;
}
