import type { Analysis } from '../analyse.js';
import { disclosureSummary, fingerprint } from '../disclosure/disclose.js';
import { districtOf, parsePostcode } from '../geo/postcode.js';
import { toPounds } from '../money.js';
import { SCHEMA_VERSION, type SummaryRecord } from './record.js';

/**
 * The `--json` contract, the record a script keeps (schemaVersion 3; its shape is `summaryRecord` in record.ts):
 * money in pounds with 2 dp (from exact pence), shares as fractions 0–1. Scripts rely on it: add fields, never
 * rename or remove them. The one builder, for `run --json` and each organisation of a batch. `report` and
 * `statement` name the files written, from the working folder (null when none was written).
 */
export function summaryJson(analysis: Analysis, reportPath: string | null, statementPath: string | null = null): SummaryRecord {
  const { spend, workforce, lm3, leakage, ledger, geography, deprivation, headlines, reconciliation, settings } = analysis;
  const supplierLine = (s: Analysis['suppliers'][number]) => ({ name: s.name, supplierId: s.supplierId, amount: toPounds(s.amount) });
  // Figures staff pay feeds, as the disclosure stage allows: null where withheld, rounded where coarsened.
  const shown = analysis.published;
  const pounds = (pence: number | null): number | null => (pence === null ? null : toPounds(pence));
  const disclosure = disclosureSummary(analysis.disclosure);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: analysis.tool.name, version: analysis.tool.version },
    generatedAt: analysis.generatedAt,
    organisation: analysis.settings.organisation,
    period: settings.period ? { label: settings.period.label, from: settings.period.from, to: settings.period.to, days: periodDays(settings.period) } : null,
    area: analysis.area ? { spec: analysis.area.spec, terms: [...analysis.area.terms] } : null,
    settings: {
      income: settings.income === undefined ? null : toPounds(settings.income),
      coverageThreshold: settings.coverageThreshold / 100_000,
      tiers: settings.tiers,
      wages: settings.wages,
      supplierAveraging: settings.supplierAveraging,
      vatBasis: settings.vatBasis,
      assumptions: {
        supplierLocalRespendPercent: settings.assumptions.supplierPercent === undefined ? null : settings.assumptions.supplierPercent / 1000,
        staffLocalSpendPercent: settings.assumptions.staffPercent === undefined ? null : settings.assumptions.staffPercent / 1000,
        source: settings.assumptions.source ?? null,
      },
      exclude: settings.exclude.map((rule) => ({ ...rule })),
      livingWageHourlyRate: settings.livingWageRate === undefined ? null : toPounds(settings.livingWageRate),
    },
    // Named relative to the project's folder (withInputsNamed); no fingerprint of personal data.
    inputs: analysis.inputs.map((input) => ({
      role: input.source.role,
      file: input.source.path,
      sha256: fingerprint(input.source)?.sha256 ?? null,
      rowsRead: input.rowsRead,
      rowsAccepted: input.rowsAccepted,
      rowsRejected: input.rowsRejected,
    })),
    targets: analysis.targets.map((t) => ({ ...t, value: t.value === null ? null : Number(t.value.toFixed(4)), reasons: [...t.reasons] })),
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
    // Supplier spend is not personal; the unattributable line (redacted and placeholder payees) is no supplier.
    suppliers: analysis.suppliers
      .filter((s) => !s.unattributable)
      .sort((a, b) => b.amount - a.amount || a.name.localeCompare(b.name))
      .map((s) => ({
        name: s.name,
        supplierId: s.supplierId,
        status: s.status,
        basis: s.basis,
        postcodeSource: s.postcodeSource,
        district: postcodeDistrict(s.postcode),
        registerReason: s.basis === 'REGISTER_OVERRIDE' && s.overrideReason !== '' ? s.overrideReason : null,
        amount: toPounds(s.amount),
        payments: s.payments,
      })),
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
      staffLocated: workforce.staff - workforce.unknownStaff,
      localStaffShare: workforce.staff === 0 ? 0 : workforce.localStaff / workforce.staff,
      localStaffShareSupported: headlines?.coverage.staffMet ?? false,
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
    // Step 10: each scenario beside today's figures; null where the disclosure stage withholds a figure.
    scenarios: analysis.scenarios ? scenariosJson(analysis.scenarios) : null,
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

export type SummaryJson = SummaryRecord;

/** Days from the first to the last day of a period, both included: 365 or 366 for a year. */
export function periodDays(period: { from: string; to: string }): number {
  return Math.round((Date.parse(`${period.to}T00:00:00Z`) - Date.parse(`${period.from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** `HX1 1RE` → `HX1`; null when there is no postcode, or it does not parse. */
function postcodeDistrict(postcode: string): string | null {
  return districtOf(parsePostcode(postcode)) ?? null;
}

function scenariosJson(run: NonNullable<Analysis['scenarios']>) {
  const pounds = (pence: number | null): number | null => (pence === null ? null : toPounds(pence));
  const figures = (f: { round2: number | null; round3: number | null; score: number | null; leakage: number | null; leakageShare: number | null; keptLocally: number | null }) => ({
    round2: pounds(f.round2),
    round3: pounds(f.round3),
    score: round(f.score, 4),
    leakage: pounds(f.leakage),
    leakageShare: f.leakageShare,
    keptLocally: pounds(f.keptLocally),
  });
  return {
    today: figures(run.publishedToday),
    results: run.published.map((p) => ({
      name: p.scenario.name,
      kind: p.scenario.kind,
      // The scenario as defined, percentages as fractions.
      definition: scenarioDefinition(p.scenario),
      inScope: pounds(p.inScope),
      moved: pounds(p.moved),
      rate: p.rate,
      posts: p.scenario.kind === 'recruit' ? p.posts : null,
      movedSuppliers: p.movedSuppliers,
      ...figures(p),
      change: { round2: pounds(p.change.round2), round3: pounds(p.change.round3), score: round(p.change.score, 4), leakage: pounds(p.change.leakage), keptLocally: pounds(p.change.keptLocally) },
      withheld: p.withheld,
    })),
  };
}

function scenarioDefinition(s: NonNullable<Analysis['scenarios']>['published'][number]['scenario']) {
  const fraction = (milli: number | undefined) => (milli === undefined ? null : milli / 100_000);
  if (s.kind === 'shift') return { share: fraction(s.share), category: s.category ?? null, suppliers: s.suppliers ?? null, respend: fraction(s.respend) };
  if (s.kind === 'recruit') return { posts: s.posts };
  return { supplierRespend: fraction(s.supplierRespend), staffSpend: fraction(s.staffSpend) };
}

/** null where there is no score (Round 1 not above £0). */
function round(value: number | null | undefined, digits: number): number | null {
  return value === undefined || value === null ? null : Number(value.toFixed(digits));
}
