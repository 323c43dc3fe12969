import { z } from 'zod';

/**
 * The project file: one JSON document holding every setting of a run. Command-line flags override it.
 * Paths are relative to the project file. `local-impact schema` prints this schema as JSON Schema.
 */
const columnMapping = z
  .record(z.string(), z.string())
  .describe('Explicit column mapping: field → the header in your file, e.g. { "amount": "Net Amount" }.');

const percent = z.number().min(0).max(100);

const scenarioName = z.string().min(1).describe('What the report calls the scenario; `--scenario NAME` runs it alone.');
const scenarioSchema = z.discriminatedUnion('kind', [
  z
    .object({
      name: scenarioName,
      kind: z.literal('shift'),
      share: percent.describe('% of the non-local spend in scope moved to local suppliers.'),
      category: z.string().min(1).optional().describe('Only this ledger category (as the Categories sheet names it).'),
      suppliers: z.array(z.string().min(1)).min(1).optional().describe('Only these suppliers (name or supplier id).'),
      respendPercent: percent.optional().describe("What the new local suppliers re-spend locally, %; default today's rate for unsurveyed local suppliers."),
    })
    .strict()
    .describe('Move a share of non-local supplier spend (all of it, one category, or named suppliers) to local suppliers.'),
  z
    .object({ name: scenarioName, kind: z.literal('recruit'), posts: z.number().int().positive().describe('Non-local posts filled by local residents at the same pay.') })
    .strict()
    .describe('Replace non-local posts with local ones at the average pay of a non-local post.'),
  z
    .object({
      name: scenarioName,
      kind: z.literal('survey'),
      supplierLocalRespendPercent: percent.optional().describe('What every local supplier re-spends locally, %.'),
      staffLocalSpendPercent: percent.optional().describe('What staff living locally spend locally, %.'),
    })
    .strict()
    .describe('Change a Round 3 assumption.'),
]);

export const projectSchema = z
  .object({
    $schema: z.string().optional(),
    organisation: z.string().min(1).optional().describe('The organisation measured, as the report should name it.'),
    period: z
      .string()
      .optional()
      .describe('The period analysed: a UK financial year "2024-25", a calendar year "2024", or "2024-04-01..2025-03-31". Rows dated outside it are not used.'),
    income: z
      .number()
      .positive()
      .optional()
      .describe('Round 1 of LM3, in pounds: the income or contract value followed. Without it, Round 1 is spend analysed + payroll cost.'),
    area: z
      .string()
      .min(1)
      .optional()
      .describe(
        'What "local" means, comma-separated: postcode areas, districts, sectors ("HX,OL14", "HX1-HX7", "HX7 8"), councils by name or code ("Calderdale", "E08000033"), ' +
          'a region or country ("Yorkshire and The Humber"), or a radius ("radius:HX1 1RE:10"). All but postcodes need the imported ONS postcode directory (local-impact geo import).',
      ),
    tiers: z
      .array(
        z.union([
          z.string().min(1).describe('An area spec, or label=spec to name it: "Greater Manchester=Bolton,Bury,Manchester".'),
          z
            .object({
              label: z.string().min(1).regex(/^[^=]*$/, 'a label cannot contain "="').describe('What the report calls the tier.'),
              area: z.string().min(1).regex(/^[^=]*$/, 'an area cannot contain "="').describe('The area spec, in the same forms as "area".'),
            })
            .strict(),
        ], { error: 'a tier is a string ("Halifax=HX") or { "label": "Halifax", "area": "HX" }' }),
      )
      .optional()
      .describe(
        'Nested definitions of local, each reported as its own column, e.g. ["Calderdale", "Yorkshire and The Humber", "England"]. Same forms as "area". ' +
          'Name one with label=spec ("Greater Manchester=Bolton,Bury,Manchester") or { "label": "Greater Manchester", "area": "Bolton,Bury,Manchester" }; the label heads its column.',
      ),
    inputs: z
      .object({
        spend: z.union([z.string(), z.array(z.string())]).optional().describe('Supplier payments file(s), CSV. Several (e.g. monthly) files are merged.'),
        payroll: z.string().optional().describe('Payroll file, CSV: one row per employee (or per employee per month).'),
        suppliers: z.string().optional().describe('Supplier register, CSV: supplier, id, postcode, local override, type.'),
        supplierSurvey: z.string().optional().describe('Supplier survey returns: a CSV or .xlsx (supplier and "local re-spend %"), or a folder of returns (the forms of `local-impact survey forms` filled in, or CSV).'),
        staffSurvey: z.string().optional().describe('Staff survey returns: a CSV or .xlsx (respondent and "local spend %", or the household categories), or a folder of returns (the staff form filled in, one per respondent).'),
        tenants: z.string().optional().describe('Tenants register (CSV or .xlsx): tenant, industry (as the GVA table codes it, e.g. "C10-12"), jobs, FTE, local yes/no, optionally its own GVA. `local-impact framework forms` writes a blank one.'),
        gvaPerJob: z.string().optional().describe('GVA per job table (CSV or .xlsx): region, industry, GVA per job (pounds), source, year. See "Building the GVA table" in the README.'),
        framework: z.string().optional().describe('The filled-in framework questionnaire (.xlsx) that `local-impact framework forms` writes: answers for characteristics 2–7.'),
        sheet: z
          .string()
          .min(1)
          .optional()
          .describe('The worksheet to read in .xlsx spend files (default: the first). A file may name its own: "payments.xlsx#March".'),
      })
      .strict()
      .default({}),
    columns: z
      .object({ spend: columnMapping.optional(), payroll: columnMapping.optional() })
      .strict()
      .default({}),
    conventions: z
      .object({
        wages: z.enum(['gross', 'net']).default('gross').describe('Pay counted in Round 2: gross (NEF) or net.'),
        supplierAveraging: z
          .enum(['unweighted', 'spend-weighted'])
          .default('unweighted')
          .describe('How surveyed suppliers\' answers are averaged for unsurveyed local suppliers.'),
        vatBasis: z
          .enum(['net', 'gross'])
          .default('net')
          .describe('Spend amounts net of VAT (default) or gross. Where a file states the other basis, its VAT column is added or taken off; see the Assumptions sheet.'),
        coverageThreshold: percent
          .default(80)
          .describe('The % of spend (and of staff) that must be located for the local share, leakage and LM3 to be stated as findings; below it they are given as ranges (default 80).'),
      })
      .strict()
      .default({ wages: 'gross', supplierAveraging: 'unweighted', vatBasis: 'net', coverageThreshold: 80 }),
    limits: z
      .object({
        maxFieldBytes: z
          .number()
          .int()
          .min(1024)
          .max(1024 * 1024 * 1024)
          .default(1024 * 1024)
          .describe('A field (cell) longer than this many bytes is damage: the lines it spans are re-read or rejected, each with a code (default 1 MiB). Keeps memory bounded on any file.'),
      })
      .strict()
      .default({ maxFieldBytes: 1024 * 1024 }),
    assumptions: z
      .object({
        supplierLocalRespendPercent: percent.optional().describe('Round 3 without a supplier survey: % of income local suppliers re-spend locally (NEF/Northumberland 2005 found 76).'),
        staffLocalSpendPercent: percent.optional().describe('Round 3 without a staff survey: % of pay local staff spend locally.'),
        source: z.string().optional().describe('Where the assumed percentages come from, for the report.'),
      })
      .strict()
      .default({}),
    livingWage: z
      .object({ hourlyRate: z.number().positive().describe('The Living Wage hourly rate in pounds, e.g. 12.60.') })
      .strict()
      .optional(),
    exclude: z
      .array(
        z
          .object({
            category: z.string().min(1).optional().describe("A category (expense type, service …) as the ledger writes it; case and spacing don't matter."),
            supplier: z.string().min(1).optional().describe('A supplier name (spellings group as in the Suppliers sheet) or supplier id.'),
            pattern: z.string().min(1).optional().describe('A regular expression over the supplier name, ignoring case, e.g. "^HMRC\\b|PENSION FUND".'),
            reason: z.string().min(1).describe('Why this spend is not procurement, for the report: "levy", "tax", "pension contributions" …'),
          })
          .strict()
          .refine((rule) => rule.category !== undefined || rule.supplier !== undefined || rule.pattern !== undefined, 'give category, supplier or pattern (conditions given together must all hold)'),
      )
      .optional()
      .describe('Spend that is not procurement (levies, tax, pensions, grants to individuals, transfers to public bodies): taken out of the local share into its own line, never dropped. The first matching rule takes a payment.'),
    selfAssessment: z
      .partialRecord(
        z.enum(['2', '3', '4', '5', '6', '7'], { error: 'a characteristic from "2" to "7"' }),
        z
          .object({
            answers: z
              .record(z.string().regex(/^[2-7]\.\d+$/, 'a question id such as "3.1"'), z.union([z.boolean(), z.number().min(0), z.string()]))
              .optional()
              .describe('Answers to the questionnaire, by question id ("3.1": true, "5.2": 120): yes/no questions true or false, counts and percentages as numbers. Questions and ids: `local-impact framework questions`.'),
            evidence: z.string().optional().describe("The organisation's own words, printed beside the rating."),
            rating: z.enum(['strong', 'developing', 'weak', 'not assessed']).optional().describe('Superseded by answers: used only when no question is answered, shown as self-rated.'),
          })
          .strict(),
      )
      .optional()
      .describe('Answers and evidence for Economic Resilience Framework characteristics 2–7, keyed by number; these override the questionnaire form (inputs.framework) answer by answer.'),
    targets: z
      .object({
        localSharePercent: percent.optional().describe('Target local share of spend analysed, in % (e.g. 55): met when the local share is a finding at or above it.'),
        lm3: z.number().min(1).max(3).optional().describe('Target LM3 score, 1–3 (e.g. 2.1): met when the score is a finding at or above it.'),
        localStaffSharePercent: percent.optional().describe('Target share of staff living locally (by head count), in %: met when enough staff are placed to make it a finding and it is at or above the target.'),
        locatedSharePercent: percent.optional().describe('Target share of spend with located suppliers, in % (e.g. 95): how much of the spend you aim to have placed.'),
      })
      .strict()
      .optional()
      .describe('What the organisation aims for (step 10, planning improvement). The report shows each headline against its target: met, missed, or not a finding (below the coverage rule).'),
    framework: z
      .object({
        region: z.string().min(1).optional().describe('The region of the GVA table that tenants\' enabled GVA is read from, as its "region" column writes it, e.g. "Yorkshire and The Humber".'),
        workplacePostcode: z.string().min(1).optional().describe('Where staff work, for staff travel (the distance from their home postcode districts); needs the postcode directory.'),
      })
      .strict()
      .optional()
      .describe('Settings for step 9: the region for enabled GVA and the workplace postcode for staff travel.'),
    scenarios: z
      .array(scenarioSchema)
      .optional()
      .describe('Step 10: what-ifs reported beside today\'s figures (terminal, JSON, the Scenarios sheet). `run --scenario NAME` runs one of them.'),
    disclosure: z
      .object({
        publishPay: z.literal(true).describe('Publish every figure staff pay feeds, even where it shows the pay of fewer than 3 people.'),
        reason: z.string().min(1).describe('Why that is allowed, for the Assumptions sheet: "all staff agreed in writing, March 2025", "pay is published in the annual accounts".'),
      })
      .strict()
      .optional()
      .describe('Only where the staff have agreed, or their pay is published anyway: the disclosure audit then reports what it would have withheld instead of withholding it.'),
    out: z.string().optional().describe("Where to write the workbook (default local-impact-report.xlsx): inside the project file's folder; to write elsewhere, give --out on the command line."),
    statement: z.string().optional().describe("Where to write the one-page HTML impact statement (an .html file; none unless named): inside the project file's folder; to write elsewhere, give --statement on the command line."),
  })
  .strict();

export type ProjectFile = z.infer<typeof projectSchema>;

export function projectJsonSchema(): unknown {
  return z.toJSONSchema(projectSchema, { io: 'input' });
}
