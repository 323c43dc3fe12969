import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { type Analysis, analyse } from '../../analyse.js';
import { UsageError } from '../../errors.js';
import { readSupplierRegister, type RegisterPlan, writeRegister } from '../../ingest/register.js';
import { formatPounds, formatShare, share, toPounds } from '../../money.js';
import { planRegister } from '../../pipeline/register.js';
import { outputName } from '../../report/paths.js';
import { addInputOptions, type InputOptions, parseOptions, progressReporter, settingsFrom } from '../inputs.js';

const outputOptions = z.object({
  out: z.string({ error: 'Give --out <register.csv>: where to write the supplier register.' }).refine((p) => p.toLowerCase().endsWith('.csv'), 'The register is written as CSV: --out must end in .csv.'),
  force: z.boolean().default(false),
  json: z.boolean().default(false),
});

/** The register `suppliers` writes (and init): every supplier paid, keeping what the register given holds. */
export async function registerPlan(analysis: Analysis): Promise<RegisterPlan> {
  const register = analysis.settings.suppliers ? await readSupplierRegister(analysis.settings.suppliers) : undefined;
  return planRegister(analysis.suppliers, register?.entries ?? [], { placed: analysis.area !== undefined, threshold: analysis.settings.coverageThreshold / 100_000 });
}

export function suppliersCommand(): Command {
  return addInputOptions(new Command('suppliers'))
    .description('write the supplier register: every supplier paid, the unlocated first, ranked by spend, keeping what you filled in before')
    .option('--out <register.csv>', 'where to write the register (may be the --suppliers file itself, to update it)')
    .option('--force', 'overwrite --out when it is not the --suppliers file')
    .option('--json', 'print what was written as JSON')
    .action(async (projectFile: string | undefined, raw: InputOptions & z.input<typeof outputOptions>) => {
      const options = parseOptions(outputOptions, raw);
      const settings = await settingsFrom(projectFile, raw);
      if (settings.spend.length === 0) throw new UsageError('No spend file given.', { hint: 'Give --spend payments.csv (repeat for several files).' });
      const outPath = resolve(options.out);
      const updating = settings.suppliers !== undefined && resolve(settings.suppliers) === outPath;
      if (existsSync(outPath) && !updating && !options.force) {
        throw new UsageError(`${options.out} already exists.`, { hint: 'Add --force to overwrite it, or pass it as --suppliers to update it.' });
      }
      const analysis = await analyse(settings, { onProgress: progressReporter(!options.json), allowNoArea: true });
      const plan = await registerPlan(analysis);
      await writeRegister(outPath, plan);
      const unlocated = plan.rows.filter((r) => r.supplier && !r.located);
      const summary = {
        schemaVersion: 1 as const,
        register: outputName(outPath),
        suppliers: plan.rows.filter((r) => r.supplier).length,
        unlocatedSuppliers: unlocated.length,
        keptFromRegister: plan.rows.filter((r) => r.entry && !r.supplier).length,
        attributableSpend: toPounds(plan.attributable),
        locatedShare: share(plan.located, plan.attributable + plan.unattributable),
        unattributableSpend: toPounds(plan.unattributable),
        toReach: plan.toReach,
      };
      if (options.json) {
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        return;
      }
      const lines = [
        `Register written: ${options.out} — ${summary.suppliers} suppliers, ${unlocated.length} not yet located.`,
        `Located now: ${formatShare(summary.locatedShare)} of ${formatPounds(plan.attributable + plan.unattributable)} spend.`,
      ];
      for (const t of plan.toReach) {
        if (t.suppliers === 0) lines.push(`  ${formatShare(t.target, 0)} is already reached.`);
        else if (t.suppliers !== undefined) lines.push(`  Locate the first ${t.suppliers} to cover ${formatShare(t.target, 0)}.`);
        else lines.push(`  ${formatShare(t.target, 0)} cannot be reached by locating suppliers: too much is to payees no one can locate.`);
      }
      if (plan.unattributable !== 0) lines.push(`${formatPounds(plan.unattributable)} went to redacted, placeholder ("Various") or blank payees: counted, but it cannot be located.`);
      if (summary.keptFromRegister > 0) lines.push(`${summary.keptFromRegister} register entries match no supplier in these files; kept at the end.`);
      lines.push('Fill in Postcode (or Local yes/no with a Reason) for the rows at the top, then run again with --suppliers.');
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
