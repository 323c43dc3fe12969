import { z } from 'zod';

/**
 * The summary record (`run --json`, and each organisation of a batch): the document a script keeps year by
 * year and `compare` reads back. Defined once here; its TypeScript type and the JSON Schema that
 * `schema --json-summary` prints are both derived from it, and `summaryJson` (json.ts) is its one builder.
 * Money in pounds with 2 dp (from exact pence), shares as fractions 0–1.
 */
export const SCHEMA_VERSION = 3;

const pounds = z.number().describe('Pounds, 2 decimal places, from exact pence.');
const shown = <T extends z.ZodType>(figure: T) => figure.nullable();
const fraction = z.number().describe('A share, 0–1.');
const status = z.enum(['local', 'non-local', 'unknown']);
const supplierLine = z.object({ name: z.string(), supplierId: z.string(), amount: pounds });

const targetMeasure = z.enum(['localShare', 'lm3', 'localStaffShare', 'locatedShare']);

export const targetRecord = z.object({
  measure: targetMeasure,
  target: z.number().describe('A share 0–1, or the LM3 score.'),
  value: z.number().nullable().describe('The figure measured, in the same unit; null when not measured.'),
  status: z.enum(['met', 'missed', 'not supported', 'not measured']),
  reasons: z.array(z.string()).describe('Why not met or missed: a headline\u2019s coverage codes, or NO_SPEND, NO_PAYROLL, NO_SCORE, WITHHELD.'),
});

export const supplierRecord = z.object({
  name: z.string().describe('The spelling with most spend.'),
  supplierId: z.string().describe('The ledger\u2019s or register\u2019s id; "" when none.'),
  status,
  basis: z.string().describe('Why: IN_AREA, OUTSIDE_AREA, DISTRICT_PARTLY_INSIDE, NO_POSTCODE, POSTCODE_INVALID or REGISTER_OVERRIDE.'),
  postcodeSource: z.enum(['register', 'ledger', 'none']),
  district: z.string().nullable().describe('Postcode district (outward code) of its postcode; null when none is known.'),
  registerReason: z.string().nullable().describe('The register\u2019s reason for a local yes/no override.'),
  amount: pounds,
  payments: z.number().int(),
});

const findingRecord = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  count: z.number().int(),
  message: z.string(),
  first: z.string().optional(),
  file: z.string().optional(),
  line: z.number().optional(),
  args: z.record(z.string(), z.unknown()),
});

const scenarioFigures = {
  round2: shown(pounds),
  round3: shown(pounds),
  score: shown(z.number()),
  leakage: shown(pounds),
  leakageShare: shown(fraction),
  keptLocally: shown(pounds).describe('R2 + R3: what the income generates locally beyond itself.'),
};

const scenariosRecord = z.object({
  today: z.object(scenarioFigures),
  results: z.array(
    z.object({
      name: z.string(),
      kind: z.enum(['shift', 'recruit', 'survey']),
      definition: z
        .union([
          z.object({ share: fraction.nullable(), category: z.string().nullable(), suppliers: z.array(z.string()).nullable(), respend: fraction.nullable() }),
          z.object({ posts: z.number().int() }),
          z.object({ supplierRespend: fraction.nullable(), staffSpend: fraction.nullable() }),
        ])
        .describe('The scenario as defined, percentages as fractions.'),
      inScope: shown(pounds),
      moved: shown(pounds),
      rate: z.number().nullable(),
      posts: z.number().int().nullable(),
      movedSuppliers: z.array(z.string()),
      ...scenarioFigures,
      change: z.object({ round2: shown(pounds), round3: shown(pounds), score: shown(z.number()), leakage: shown(pounds), keptLocally: shown(pounds) }),
      withheld: z.boolean(),
    }),
  ),
});

export const summaryRecord = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.object({ name: z.string(), version: z.string() }),
  generatedAt: z.string().describe('When the run was made, ISO 8601 UTC.'),
  organisation: z.string(),
  period: z.object({ label: z.string(), from: z.string(), to: z.string(), days: z.number().int() }).nullable(),
  area: z.object({ spec: z.string(), terms: z.array(z.string()) }).nullable(),
  settings: z.object({
    income: pounds.nullable().describe('Round 1 given (--income); null: Round 1 is spend + payroll cost.'),
    coverageThreshold: fraction,
    tiers: z.array(z.string()),
    wages: z.enum(['gross', 'net']),
    supplierAveraging: z.enum(['unweighted', 'spend-weighted']),
    vatBasis: z.enum(['net', 'gross']),
    assumptions: z.object({ supplierLocalRespendPercent: z.number().nullable(), staffLocalSpendPercent: z.number().nullable(), source: z.string().nullable() }),
    exclude: z.array(z.object({ category: z.string().optional(), supplier: z.string().optional(), pattern: z.string().optional(), reason: z.string() })),
    livingWageHourlyRate: pounds.nullable(),
  }),
  inputs: z.array(
    z.object({
      role: z.string(),
      file: z.string().describe('Relative to the project file\u2019s folder (or the working folder), forward slashes.'),
      sha256: z.string().nullable().describe('null for payroll and staff survey files: a fingerprint of personal data could confirm a guess at it.'),
      rowsRead: z.number().int(),
      rowsAccepted: z.number().int(),
      rowsRejected: z.number().int(),
    }),
  ),
  targets: z.array(targetRecord),
  spend: z
    .object({
      rowsRead: z.number().int(),
      rowsAccepted: z.number().int(),
      rowsRejected: z.number().int(),
      total: pounds,
      local: pounds,
      nonLocal: pounds,
      unknown: pounds,
      localShare: fraction,
      localShareSupported: z.boolean(),
      localShareReasons: z.array(z.string()),
      localShareHigh: fraction.nullable(),
      unknownShare: fraction,
      locatedShare: fraction,
      coverageThreshold: fraction,
      unattributable: pounds,
      suppliers: z.number().int(),
      localSuppliers: z.number().int(),
      top10Share: fraction,
      topLeaking: z.array(supplierLine),
      toLocate: z.array(supplierLine),
      uncertain: pounds,
      uncertainEstimatedLocal: pounds.nullable(),
      excluded: pounds,
      vatBasis: z.enum(['net', 'gross']),
      kind: z.enum(['payments', 'contracts', 'mixed']),
    })
    .nullable(),
  suppliers: z.array(supplierRecord).describe('Every supplier paid, by spend (the unattributable line is not a supplier).'),
  supplierTypes: z.array(z.object({ type: z.string(), total: pounds, local: pounds, localShare: fraction, suppliers: z.number().int() })),
  supplierTypeSources: z.array(z.object({ source: z.string(), suppliers: z.number().int() })),
  excluded: z.array(z.object({ rule: z.string(), reason: z.string(), total: pounds, payments: z.number().int(), suppliers: z.number().int() })),
  tiers: z.array(
    z.object({
      spec: z.string(),
      label: z.string(),
      local: pounds,
      localShare: fraction,
      nonLocal: pounds,
      unknown: pounds,
      localShareSupported: z.boolean(),
      localShareHigh: fraction.nullable(),
    }),
  ),
  deprivation: z
    .object({
      edition: z.string(),
      basis: z.enum(['lsoa', 'council', 'mixed']),
      decile1: pounds,
      decile1Share: fraction,
      decile1to2: pounds,
      decile1to2Share: fraction,
      coveredShare: fraction,
    })
    .nullable(),
  workforce: z
    .object({
      staff: z.number().int(),
      localStaff: z.number().int(),
      /** Placed by home postcode (local or not): the coverage rule's count. */
      staffLocated: z.number().int(),
      localStaffShare: fraction,
      localStaffShareSupported: z.boolean(),
      fte: z.number(),
      localFte: z.number(),
      grossPay: shown(pounds),
      localGrossPay: shown(pounds),
      localPayShare: shown(fraction),
      payrollCost: shown(pounds),
    })
    .nullable(),
  lm3: z
    .object({
      round1: shown(pounds),
      round1Basis: z.enum(['income', 'spend-and-payroll']),
      round2: shown(pounds),
      round2Suppliers: pounds,
      round2Staff: shown(pounds),
      round3: shown(pounds),
      round3Suppliers: pounds,
      round3Staff: shown(pounds),
      round3Basis: z.enum(['survey', 'assumed', 'none']),
      score: z.number().nullable(),
      scoreHigh: z.number().nullable(),
      scoreLow: z.number().nullable(),
      supported: z.boolean(),
      reasons: z.array(z.string()),
      notSpent: shown(pounds),
    })
    .nullable(),
  leakage: z
    .object({
      total: shown(pounds),
      share: shown(fraction),
      high: shown(pounds),
      highShare: shown(fraction),
      supported: z.boolean(),
      reasons: z.array(z.string()),
    })
    .nullable(),
  scenarios: scenariosRecord.nullable().describe('Step 10: each scenario beside today; null without scenarios. A figure the disclosure stage withholds is null.'),
  findings: z.array(findingRecord),
  report: z.string().nullable().describe('The workbook written, from the working folder; null with --no-report.'),
  statement: z.string().nullable().describe('The impact statement written, from the working folder; null when none was asked for.'),
  withheld: z.array(z.string()),
  rounded: z.array(z.object({ figure: z.string(), step: z.number() })),
  disclosure: z.object({ statements: z.array(z.string()), consent: z.string().nullable() }),
});

export type SummaryRecord = z.infer<typeof summaryRecord>;
export type SupplierRecord = z.infer<typeof supplierRecord>;
export type TargetRecord = z.infer<typeof targetRecord>;

/** `local-impact schema --json-summary`. */
export function summaryJsonSchema(): unknown {
  return z.toJSONSchema(summaryRecord, { io: 'output' });
}
