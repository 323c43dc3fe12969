import type { Settings } from './config/settings.js';
import type { StaffMember } from './domain/staff.js';
import type { Supplier } from './domain/supplier.js';
import { UsageError } from './errors.js';
import { type Finding, FindingLog } from './findings.js';
import type { Area } from './geo/area.js';
import { loadDirectory } from './geo/directory.js';
import { deprivationDecile, loadImd } from './geo/imd.js';
import { areaNeedsDirectory, resolveArea } from './geo/resolve.js';
import { readPayroll } from './ingest/payroll.js';
import { readSupplierRegister } from './ingest/register.js';
import { readStaffSurvey, readSupplierSurvey } from './ingest/survey-returns.js';
import type { ExcludedSpend } from './ingest/exclude.js';
import { type FileTally, readSpend, type ReadSpendOptions, type SpendLedger } from './ingest/spend.js';
import { type Leakage, measureLeakage } from './measures/leakage.js';
import { type DeprivationMeasures, type GeographyMeasures, measureDeprivation, measureGeography } from './measures/geography.js';
import type { Headlines } from './measures/headlines.js';
import { type Disclosure, discloseFigures, type PublishedPay, publishedPay } from './disclosure/disclose.js';
import { computeLm3, type Lm3 } from './measures/lm3.js';
import type { Round1Reconciliation } from './measures/reconcile.js';
import { judgeHeadlines, rejectionFindings, round3Findings } from './pipeline/headlines.js';
import { placeStaff, type StaffPay, staffPay } from './pipeline/staff.js';
import { runScenarios, type ScenarioRun } from './pipeline/scenarios.js';
import { readGvaTable, readTenants } from './ingest/tenants.js';
import { staffTravel, type TravelRun } from './pipeline/travel.js';
import { type FrameworkAnswers, mergeAnswers, readFrameworkForm } from './ingest/framework-form.js';
import { type EnabledContribution, measureEnabled } from './measures/enabled.js';
import { locateSuppliers } from './pipeline/locate.js';
import { measureSpend, type SpendMeasures } from './measures/spend.js';
import { MIN_GROUP, measureWorkforce, type WorkforceMeasures } from './measures/workforce.js';
import { evaluateTargets, type TargetResult } from './measures/targets.js';
import { TOOL } from './version.js';
import { mark } from './timings.js';

/** Everything a report needs: the inputs as read, the measures, and the findings. Renderers only format it. */
export interface Analysis {
  tool: typeof TOOL;
  generatedAt: string;
  settings: Settings;
  area: Area | undefined;
  /** Every input file read, with its reconciliation. */
  inputs: FileTally[];
  /** `total` is every accepted payment: the suppliers' spend (the analysis) plus `excludedTotal`. */
  ledger: Pick<SpendLedger, 'kind' | 'rowsRead' | 'rowsAccepted' | 'rowsRejected' | 'total' | 'excludedTotal' | 'firstDate' | 'lastDate'> | undefined;
  /** Spend taken out of the local share by the project file's exclude rules, one line per rule ([] without rules). */
  excluded: ExcludedSpend[];
  suppliers: Supplier[];
  spend: SpendMeasures | undefined;
  /** Spend by council, the uncertain part of unknown, and the tiers (`--tier`). */
  geography: GeographyMeasures | undefined;
  /** Spend with suppliers in the most deprived areas, when the IoD has been imported (`geo import-imd`). */
  deprivation: DeprivationMeasures | undefined;
  /** The ONS and MHCLG data the run used, which the report must name and attribute. */
  referenceData: ReferenceData;
  workforce: WorkforceMeasures | undefined;
  lm3: Lm3 | undefined;
  leakage: Leakage | undefined;
  /** What the figures can claim: which headlines are findings, and their ranges (with spend and an area). */
  headlines: Headlines | undefined;
  /** Where Round 1 went, part by part. */
  reconciliation: Round1Reconciliation | undefined;
  /** Which figures staff pay feeds may be published, and how precisely: renderers print what it allows. */
  disclosure: Disclosure;
  /** Every figure staff pay feeds, as the disclosure allows it to be printed (null: withheld). */
  published: PublishedPay;
  /** Each target the project file sets, against the headline it names: met, missed, not supported or not measured. */
  targets: TargetResult[];
  /** Step 10: the project's scenarios beside today's figures, as the disclosure allows (undefined: none). */
  scenarios: ScenarioRun | undefined;
  /** Step 9: tenants' jobs and the GVA they enable (gross), when a tenants register is given. */
  enabled: EnabledContribution | undefined;
  /** Step 9: answers to the questionnaire for characteristics 2–7 (the form's, the project file's over them) and the organisation's own words. */
  framework: FrameworkAnswers;
  /** Step 9, characteristic 6: how far staff live from the workplace, with the postcode directory and a workplace postcode. */
  travel: TravelRun | undefined;
  findings: FindingLog;
}

export interface ReferenceData {
  /** The imported postcode directory, when an area or tier needed it. */
  directory: { file: string; modified: string; importedAt: string; postcodes: number } | undefined;
  /** The IoD tables the deciles came from, when spend in the most deprived areas was measured. */
  deprivation: { edition: string; basis: 'lsoa' | 'council'; source: string }[];
}

export interface AnalyseHooks {
  onProgress?: (file: string, bytesRead: number, totalBytes: number) => void;
  /** Every spend row as read (`check --rows`, `--rejected`); see ReadSpendOptions.onRow. */
  onSpendRow?: ReadSpendOptions['onRow'];
  onSpendRowsRestart?: () => void;
  /** For `check`: read the files even when no area is given, placing nothing. */
  allowNoArea?: boolean;
  /** Read every file in one pass, never as two halves (`batch`'s workers: the pool keeps the cores busy). */
  onePass?: boolean;
  /** The clock the report's "generated" time comes from (tests fix it). */
  now?: () => Date;
}

/** Reads what the settings name and measures it. Inputs that are not given are left out, not invented. */
export async function analyse(settings: Settings, hooks: AnalyseHooks = {}): Promise<Analysis> {
  const findings = new FindingLog();
  const inputs: FileTally[] = [];
  // The directory is read only when a definition needs it, so postcode-only runs behave the same everywhere.
  const specs = [settings.area, ...settings.tiers].filter((spec): spec is string => spec !== undefined);
  // Staff travel needs it too: the distance from each home district to the workplace.
  const directory = specs.some(areaNeedsDirectory) || (settings.workplacePostcode !== undefined && settings.payroll !== undefined) ? loadDirectory() : undefined;
  const area = settings.area === undefined ? undefined : resolveArea(settings.area, directory);
  const tiers = settings.tiers.map((spec) => resolveArea(spec, directory));
  for (const definition of [area, ...tiers]) if (definition?.findings) findings.addAll(definition.findings);
  const needArea = (): Area => {
    if (!area && hooks.allowNoArea) return NO_AREA;
    if (!area) throw new UsageError('No area given: the tool needs to know what "local" means.', { hint: 'Give --area, e.g. --area "HX,OL14", or "area" in the project file.' });
    return area;
  };

  let ledger: SpendLedger | undefined;
  let suppliers: Supplier[] = [];
  if (settings.spend.length > 0) {
    const localArea = needArea();
    mark('start reading spend');
    ledger = await readSpend(settings.spend, {
      columns: settings.spendColumns,
      period: settings.period,
      sheet: settings.sheet,
      vatBasis: settings.vatBasis,
      exclude: settings.exclude,
      maxFieldBytes: settings.maxFieldBytes,
      onProgress: hooks.onProgress,
      onRow: hooks.onSpendRow,
      onRowsRestart: hooks.onSpendRowsRestart,
      onePass: hooks.onePass,
    });
    findings.merge(ledger.findings);
    inputs.push(...ledger.files);
    const register = settings.suppliers ? await readSupplierRegister(settings.suppliers) : undefined;
    const survey = settings.supplierSurvey ? await readSupplierSurvey(settings.supplierSurvey) : undefined;
    if (register) {
      findings.merge(register.findings);
      inputs.push(register.file);
    }
    if (survey) {
      findings.merge(survey.findings);
      inputs.push(...survey.files);
    }
    mark('spend read');
    const located = locateSuppliers({
      ledger: ledger.suppliers.values(),
      area: localArea,
      register: register?.entries,
      registerFile: register?.file.source.name,
      survey: survey?.answers,
      surveyFile: survey?.files.length === 1 ? survey.files[0]!.source.name : undefined,
      tiers,
    });
    suppliers = located.suppliers;
    findings.addAll(located.findings);
  }
  mark('suppliers located');
  const spend = ledger ? measureSpend(suppliers, { categories: ledger.categories }) : undefined;
  const geography = ledger ? measureGeography(suppliers, tiers) : undefined;
  const imd = directory ? loadImd() : {};
  if (directory && (imd.lsoa || imd.council)) {
    for (const supplier of suppliers) {
      const found = deprivationDecile(directory, imd, supplier.postcode.replace(' ', ''), supplier.council);
      if (found) Object.assign(supplier, { imdDecile: found.decile, deprivationBasis: found.basis });
    }
  }
  const deprivation = ledger && (imd.lsoa || imd.council) ? measureDeprivation(suppliers, (imd.lsoa ?? imd.council)!.edition) : undefined;
  const referenceData: ReferenceData = {
    directory: directory && {
      file: directory.meta.source.file,
      modified: directory.meta.source.modified,
      importedAt: directory.meta.importedAt,
      postcodes: directory.meta.count,
    },
    deprivation: [imd.lsoa, imd.council].flatMap((t) =>
      t && deprivation && (deprivation.basis === 'mixed' || deprivation.basis === t.basis) ? [{ edition: t.edition, basis: t.basis, source: t.source }] : [],
    ),
  };

  let workforce: WorkforceMeasures | undefined;
  let travel: TravelRun | undefined;
  let staff: StaffMember[] = [];
  if (settings.payroll) {
    const localArea = needArea();
    const payroll = await readPayroll(settings.payroll, { columns: settings.payrollColumns, maxFieldBytes: settings.maxFieldBytes });
    findings.merge(payroll.findings);
    inputs.push(payroll.file);
    staff = placeStaff(payroll.employees, localArea);
    workforce = measureWorkforce(staff, { livingWageRate: settings.livingWageRate });
    if (workforce.unknownStaff > 0) findings.add({ code: 'STAFF_UNLOCATED', args: { count: workforce.unknownStaff } });
    if (directory && settings.workplacePostcode) travel = staffTravel(settings.workplacePostcode, directory, staff, workforce);
  } else if (ledger && area) {
    findings.add({ code: 'NO_PAYROLL' });
  }

  const staffSurvey = settings.staffSurvey ? await readStaffSurvey(settings.staffSurvey) : undefined;
  if (staffSurvey) {
    findings.merge(staffSurvey.findings);
    inputs.push(...staffSurvey.files);
    const responses = staffSurvey.answers.length;
    if (responses > 0 && responses < MIN_GROUP) findings.add({ code: 'STAFF_SURVEY_FEW', args: { responses } });
  }

  const enabled = settings.tenants ? await enabledContribution(settings, findings, inputs) : undefined;
  const form = settings.frameworkForm ? await readFrameworkForm(settings.frameworkForm) : undefined;
  if (form) {
    findings.merge(form.findings);
    inputs.push(form.file);
  }
  const { answers, words } = mergeAnswers(form, settings.selfAssessment);

  let lm3: Lm3 | undefined;
  let leakage: Leakage | undefined;
  let headlines: Headlines | undefined;
  let headlineFindings: Finding[] = [];
  let reconciliation: Round1Reconciliation | undefined;
  let pay: StaffPay | undefined;
  if (spend) {
    pay = staffPay(staff, settings.wages);
    if (pay.withoutNet > 0) findings.add({ code: 'NET_PAY_MISSING', args: { count: pay.withoutNet } });
    lm3 = computeLm3({
      income: settings.income,
      spendTotal: spend.total,
      payrollCost: workforce?.payrollCost ?? 0,
      localSuppliers: suppliers.filter((s) => s.status === 'local'),
      unknownSuppliers: suppliers.filter((s) => s.status === 'unknown'),
      localStaffPay: pay.local,
      wages: pay.wages,
      localStaff: workforce?.localStaff ?? 0,
      unknownStaffPay: pay.unknown,
      staffAnswers: staffSurvey?.answers.map((a) => a.percent) ?? [],
      assumptions: settings.assumptions,
      averaging: settings.supplierAveraging,
    });
    leakage = measureLeakage({
      round1: lm3.round1,
      round2: lm3.round2,
      round3: lm3.round3,
      nonLocalSpend: spend.nonLocal,
      unknownSpend: spend.unknown,
      nonLocalStaffPay: pay.nonLocal,
      unknownStaffPay: pay.unknown,
    });
    const judged = judgeHeadlines({
      settings,
      spend,
      excluded: ledger?.excludedTotal ?? 0,
      workforce,
      pay,
      lm3,
      tiers: geography?.tiers,
    });
    headlines = judged.headlines;
    reconciliation = judged.reconciliation;
    // Without an area (check, steps) nothing was placed: warnings about placing would only mislead.
    if (area) headlineFindings = [...lm3.findings, ...judged.findings, ...round3Findings(settings, lm3)];
  }
  findings.addAll(rejectionFindings(inputs));

  const disclosure = discloseFigures({ staff, workforce, lm3, leakage, consent: settings.disclosureConsent, staffResponses: lm3?.coverage.staffResponses ?? 0 });
  // A finding's words are published too: money out includes the payroll cost, withheld when it would show pay.
  const payrollWithheld = disclosure.publication.get('lm3.notSpent')?.kind === 'withheld';
  findings.addAll(
    headlineFindings.map((f) =>
      f.code === 'SPENT_BEYOND_INCOME' && payrollWithheld ? { ...f, args: { ...f.args, spent: 'an amount withheld to keep staff pay private', beyond: 'an amount withheld' } } : f,
    ),
  );
  for (const statement of disclosure.statements) findings.add({ code: 'PAY_WITHHELD', args: { statement } });
  const published = publishedPay(disclosure, { workforce, lm3, leakage, reconciliation });
  const scenarios = runScenarios(settings, { lm3, spend, suppliers, workforce, pay }, disclosure, published);
  if (scenarios) findings.addAll(scenarios.findings);

  // Everything is placed: the report needs no more postcodes, and the 32 MB of them need not outlive the analysis.
  directory?.release();
  // The checksum of a large spend file is computed by a worker thread while the rest of the analysis ran.
  await ledger?.checksums;

  return {
    tool: TOOL,
    generatedAt: (hooks.now?.() ?? new Date()).toISOString(),
    settings,
    area,
    inputs,
    ledger: ledger && {
      kind: ledger.kind,
      rowsRead: ledger.rowsRead,
      rowsAccepted: ledger.rowsAccepted,
      rowsRejected: ledger.rowsRejected,
      total: ledger.total,
      firstDate: ledger.firstDate,
      lastDate: ledger.lastDate,
      excludedTotal: ledger.excludedTotal,
    },
    suppliers,
    spend,
    geography,
    deprivation,
    referenceData,
    excluded: ledger?.excluded ?? [],
    workforce,
    lm3,
    leakage,
    headlines,
    reconciliation,
    disclosure,
    published,
    // Judged on the score as published: a target must not reveal what the disclosure stage withheld.
    targets: evaluateTargets(settings.targets, { spend, headlines, staff: workforce, score: lm3?.score === undefined ? undefined : published.lm3.score }),
    scenarios,
    enabled,
    framework: { answers, words },
    travel,
    findings,
  };
}

/** Reads the tenants register (and the GVA table, when given) and estimates the jobs and GVA they enable. */
async function enabledContribution(settings: Settings, findings: FindingLog, inputs: FileTally[]): Promise<EnabledContribution> {
  const tenants = await readTenants(settings.tenants!);
  const table = settings.gvaPerJob ? await readGvaTable(settings.gvaPerJob) : undefined;
  for (const part of [tenants, table]) {
    if (part) {
      findings.merge(part.findings);
      inputs.push(part.file);
    }
  }
  const regions = [...new Set((table?.rows ?? []).map((row) => row.region))];
  // A table of one region needs no setting; otherwise the project file says which.
  const region = settings.gvaRegion ?? (regions.length === 1 ? regions[0] : undefined);
  if (table && region === undefined && regions.length > 1) findings.add({ code: 'GVA_REGION_NOT_SET', args: { regions: regions.length } });
  const measured = measureEnabled(tenants.rows, table?.rows ?? [], region);
  if (table && region !== undefined && !table.rows.some((row) => row.region.trim().toLowerCase() === region.trim().toLowerCase())) {
    findings.add({ code: 'GVA_REGION_ABSENT', args: { region, regions: regions.slice(0, 5).join(', ') } });
  } else if (table && region !== undefined) {
    for (const t of measured.tenants) {
      if (t.basis === 'none' && t.industry !== '') findings.add({ code: 'TENANT_INDUSTRY_NOT_IN_TABLE', file: tenants.file.source.name, line: t.line, args: { industry: t.industry, region } });
    }
  }
  return measured;
}

const NO_AREA: Area = { spec: '', terms: ['(no area given)'], place: () => ({ status: 'unknown', reason: 'NO_AREA' }) };
