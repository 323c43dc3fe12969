import type { Analysis } from '../analyse.js';
import { disclosureSummary } from '../disclosure/disclose.js';
import { toPounds } from '../money.js';

/**
 * The `--json` contract (schemaVersion 2: leakage counts only money known to leave, and each headline
 * says whether it is supported): money in pounds with 2 dp (from exact pence),
 * shares as fractions 0–1. Scripts rely on it: add fields, never rename or remove them. `report` and
 * `statement` name the files written, from the working folder (null when none was written).
 */
export function summaryJson(analysis: Analysis, reportPath: string | null, statementPath: string | null = null) {
  const { spend, workforce, lm3, leakage, ledger, geography, deprivation, headlines, reconciliation } = analysis;
  const supplierLine = (s: Analysis['suppliers'][number]) => ({ name: s.name, supplierId: s.supplierId, amount: toPounds(s.amount) });
  // Figures staff pay feeds, as the disclosure stage allows: null where withheld, rounded where coarsened.
  const shown = analysis.published;
  const pounds = (pence: number | null): number | null => (pence === null ? null : toPounds(pence));
  const disclosure = disclosureSummary(analysis.disclosure);
  return {
    schemaVersion: 2 as const,
    tool: analysis.tool,
    organisation: analysis.settings.organisation,
    period: analysis.settings.period ? { label: analysis.settings.period.label, from: analysis.settings.period.from, to: analysis.settings.period.to } : null,
    area: analysis.area ? { spec: analysis.area.spec, terms: analysis.area.terms } : null,
    spend: spend &&
      ledger ? {
        rowsRead: ledger.rowsRead,
        rowsAccepted: ledger.rowsAccepted,
        rowsRejected: ledger.rowsRejected,
        total: toPounds(spend.total),
        local: toPounds(spend.local),
        nonLocal: toPounds(spend.nonLocal),
        unknown: toPounds(spend.unknown),
        localShare: spend.localShare,
        // The coverage rule: below the threshold the local share is not a finding, only low–high.
        localShareSupported: headlines?.localShare.supported ?? false,
        localShareReasons: headlines?.localShare.reasons ?? [],
        localShareHigh: headlines?.localShare.high ?? null,
        unknownShare: spend.unknownShare,
        locatedShare: spend.locatedShare,
        coverageThreshold: analysis.settings.coverageThreshold / 100_000,
        unattributable: toPounds(spend.unattributable),
        suppliers: spend.suppliers,
        localSuppliers: spend.localSuppliers,
        top10Share: spend.top10Share,
        topLeaking: spend.topLeaking.map(supplierLine),
        toLocate: spend.toLocate.map(supplierLine),
        // Inside `unknown`: suppliers known only by a postcode district that straddles the area's boundary.
        uncertain: toPounds(geography?.uncertain ?? 0),
        uncertainEstimatedLocal: analysis.referenceData.directory ? toPounds(geography?.uncertainEstimatedLocal ?? 0) : null,
        // Accepted spend taken out of the analysis by exclude rules: total + excluded = all accepted.
        excluded: toPounds(ledger.excludedTotal),
        vatBasis: analysis.settings.vatBasis,
        // payments, or a contracts register's annual contract values (the CONTRACT_VALUES finding names the file), or 'mixed'.
        kind: ledger.kind,
      } : null,
    supplierTypes: (spend?.byType ?? []).map((t) => ({
      type: t.type,
      total: toPounds(t.total),
      local: toPounds(t.local),
      localShare: t.localShare,
      suppliers: t.suppliers,
    })),
    // Where the types came from, in order of precedence: register, ledger (its VCSE/SME columns), charity number, company number.
    supplierTypeSources: spend?.typeSources ?? [],
    excluded: analysis.excluded.map((line) => ({
      rule: line.rule,
      reason: line.reason,
      total: toPounds(line.amount),
      payments: line.payments,
      suppliers: line.suppliers,
    })),
    tiers: (geography?.tiers ?? []).map((tier, i) => ({
      spec: tier.spec,
      label: tier.label,
      local: toPounds(tier.local),
      localShare: tier.localShare,
      nonLocal: toPounds(tier.nonLocal),
      unknown: toPounds(tier.unknown),
      // The coverage rule, per tier: below it the local share is the low end of localShare–localShareHigh.
      localShareSupported: headlines?.tiers[i]?.supported ?? false,
      localShareHigh: headlines?.tiers[i]?.high ?? null,
    })),
    deprivation: deprivation ? {
      edition: deprivation.edition,
      basis: deprivation.basis,
      decile1: toPounds(deprivation.decile1),
      decile1Share: deprivation.decile1Share,
      decile1to2: toPounds(deprivation.decile1to2),
      decile1to2Share: deprivation.decile1to2Share,
      coveredShare: deprivation.coveredShare,
    } : null,
    workforce: workforce ? {
      staff: workforce.staff,
      localStaff: workforce.localStaff,
      fte: workforce.fte,
      localFte: workforce.localFte,
      grossPay: pounds(shown.workforce.grossPay),
      localGrossPay: pounds(shown.workforce.localGrossPay),
      localPayShare: shown.workforce.localPayShare,
      payrollCost: pounds(shown.workforce.payrollCost),
    } : null,
    lm3: lm3 ? {
      round1: pounds(shown.lm3.round1),
      round1Basis: lm3.round1Basis,
      round2: pounds(shown.lm3.round2),
      round2Suppliers: toPounds(lm3.round2Suppliers),
      round2Staff: pounds(shown.lm3.round2Staff),
      round3: pounds(shown.lm3.round3),
      round3Suppliers: toPounds(lm3.round3Suppliers),
      round3Staff: pounds(shown.lm3.round3Staff),
      round3Basis: lm3.round3Basis,
      score: round(shown.lm3.score, 4),
      scoreHigh: round(shown.lm3.scoreHigh, 4),
      scoreLow: round(shown.lm3.scoreLow, 4),
      supported: headlines?.lm3.supported ?? false,
      reasons: headlines?.lm3.reasons ?? [],
      // Round 1 less all money out (spend, excluded spend, payroll cost); negative: spent beyond income.
      notSpent: reconciliation ? pounds(shown.lm3.notSpent) : null,
    } : null,
    leakage: leakage ? {
      total: pounds(shown.leakage.total),
      share: shown.leakage.share,
      high: pounds(shown.leakage.high),
      highShare: shown.leakage.highShare,
      supported: headlines?.leakage.supported ?? false,
      reasons: headlines?.leakage.reasons ?? [],
    } : null,
    findings: analysis.findings.summary(),
    // The files written, named from the working folder: the workbook, and the impact statement (null when not asked for).
    report: reportPath,
    statement: statementPath,
    // Figures staff pay feeds that the disclosure stage withheld (null above) or rounded, and why in words.
    withheld: disclosure.withheld,
    rounded: disclosure.rounded,
    disclosure: { statements: analysis.disclosure.statements, consent: analysis.disclosure.consent ?? null },
  };
}

export type SummaryJson = ReturnType<typeof summaryJson>;

/** null where there is no score (Round 1 not above £0). */
function round(value: number | null | undefined, digits: number): number | null {
  return value === undefined || value === null ? null : Number(value.toFixed(digits));
}
