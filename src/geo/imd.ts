import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { writeWhole } from '../write-whole.js';
import { dataHome, directoryPath, type PostcodeDirectory } from './directory.js';
import { CouncilNames, readReferenceCsv } from './names.js';

/**
 * The English Indices of Deprivation, as deciles (1 = most deprived 10%): by LSOA (IoD2025 on 2021 LSOAs,
 * IoD2019 on 2011 LSOAs) or by council. England only: the nations' indices are never mixed.
 */
export type ImdEdition = 'IoD2025' | 'IoD2019';

export interface ImdTable {
  edition: ImdEdition;
  basis: 'lsoa' | 'council';
  source: string;
  importedAt: string;
  /** For a council table: how its decile was made. */
  method: string;
  deciles: Record<string, number>;
  /** Council codes the table could not carry to a current council (merged since), left without a decile. */
  unmapped?: string[];
}

export const IMD_FILE = { lsoa: 'imd-lsoa.json', council: 'imd-council.json' } as const;

/** Reads an IoD file: LSOA deciles or ranks, or a council summary (deciles from the ranked average score). */
export function readImd(text: string, file: string, options: { edition?: ImdEdition; names?: CouncilNames } = {}): ImdTable {
  const { rows, header, find } = readReferenceCsv(text);
  const lsoa = find(/^lsoa(11|21)?(_?code|cd)$/);
  const council = find(/^(lad\d*_code|lad\d{2}cd|ltla\d{2}_code)$/);
  const edition = options.edition ?? editionOf(file, header);
  if (!edition) {
    throw new UsageError(`Cannot tell whether ${basename(file)} is IoD2025 or IoD2019.`, { hint: 'Say which with --edition IoD2025 or --edition IoD2019.' });
  }
  const body = rows.slice(1).filter((row) => (row[lsoa >= 0 ? lsoa : council] ?? '').trim() !== '');
  const base = { edition, source: basename(file), importedAt: new Date().toISOString() };
  if (lsoa >= 0) {
    const decile = find(/^imd_decile$/);
    const rank = find(/^(imd_rank|imd19|imd25|imd_rank_2025|imd_rank_2019)$/);
    if (decile < 0 && rank < 0) throw new InputError(`${file} has LSOAs but no IMD decile or rank column.`, { file, hint: 'Expected IMD_decile or IMD_rank (or IMD19).' });
    const deciles: Record<string, number> = {};
    for (const row of body) {
      const code = row[lsoa]!.trim();
      if (!code.startsWith('E01')) continue;
      const value = decile >= 0 ? Number(row[decile]) : Math.ceil((Number(row[rank!]) / body.length) * 10);
      if (Number.isInteger(value) && value >= 1 && value <= 10) deciles[code] = value;
    }
    return { ...base, basis: 'lsoa', method: decile >= 0 ? 'the published LSOA decile' : 'LSOA rank among all LSOAs, in tenths', deciles };
  }
  if (council < 0) {
    throw new InputError(`${file} has neither an LSOA nor a council code column.`, {
      file,
      hint: 'Give the IoD by LSOA (lsoa21_code / LSOA11CD with IMD_decile or IMD rank) or by council (lad_code / ltla24_code with Score or imd_average_score).',
    });
  }
  const score = find(/^(score|imd_average_score|imd_score)$/);
  if (score < 0) throw new InputError(`${file} has councils but no IMD average score column.`, { file, hint: 'Expected Score or imd_average_score.' });
  // Deciles rank the edition's own councils; an old code then passes to its successor, unless councils merged since.
  const scored: { code: string; score: number }[] = [];
  for (const row of body) {
    const code = row[council]!.trim();
    const value = Number(row[score]);
    if (code.startsWith('E') && Number.isFinite(value)) scored.push({ code, score: value });
  }
  scored.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
  const byCurrent = new Map<string, { code: string; decile: number }[]>();
  scored.forEach((c, i) => {
    const current = options.names?.current(c.code)?.code ?? c.code;
    byCurrent.set(current, [...(byCurrent.get(current) ?? []), { code: c.code, decile: Math.ceil(((i + 1) / scored.length) * 10) }]);
  });
  const deciles: Record<string, number> = {};
  const unmapped: string[] = [];
  for (const [current, olds] of byCurrent) {
    if (olds.length === 1) deciles[current] = olds[0]!.decile;
    else unmapped.push(...olds.map((o) => o.code));
  }
  return {
    ...base,
    basis: 'council',
    method: `the ${scored.length} councils of ${edition} ranked by average IMD score, most deprived first, in tenths`,
    deciles,
    ...(unmapped.length > 0 ? { unmapped } : {}),
  };
}

function editionOf(file: string, header: string[]): ImdEdition | undefined {
  const name = basename(file).toLowerCase();
  if (/2025|iod25|imd25/.test(name) || header.some((h) => /^(lsoa21|ltla24|imd25)/.test(h))) return 'IoD2025';
  if (/2019|iod19|imd19/.test(name) || header.some((h) => /^(lsoa11|imd19)/.test(h))) return 'IoD2019';
  return undefined;
}

export async function importImd(file: string, options: { edition?: ImdEdition; home?: string; directory?: PostcodeDirectory } = {}): Promise<ImdTable> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new InputError(`Cannot read ${file}.`, { file });
  });
  const names = options.directory ? new CouncilNames(options.directory.meta.councils) : undefined;
  const table = readImd(text, file, { edition: options.edition, names });
  if (Object.keys(table.deciles).length === 0) throw new InputError(`${file} holds no English areas with a decile.`, { file });
  const location = directoryPath(options.home ?? dataHome());
  await mkdir(location, { recursive: true });
  const target = join(location, IMD_FILE[table.basis]);
  await writeWhole(target, JSON.stringify(table));
  return table;
}

export function loadImd(home = dataHome()): { lsoa?: ImdTable; council?: ImdTable } {
  const read = (name: string): ImdTable | undefined => {
    const path = join(directoryPath(home), name);
    if (!existsSync(path)) return undefined;
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as ImdTable;
    } catch (error) {
      throw new InputError(`The imported deprivation table ${path} cannot be read: ${(error as Error).message}`, {
        file: path,
        hint: 'It may have been cut short or edited. Import the English Indices of Deprivation again: local-impact geo import-imd <file>.',
      });
    }
  };
  const lsoa = read(IMD_FILE.lsoa);
  const council = read(IMD_FILE.council);
  return { ...(lsoa ? { lsoa } : {}), ...(council ? { council } : {}) };
}

/** How a supplier's decile was found, for the report. */
export type DeprivationBasis = 'lsoa' | 'council';

/**
 * A postcode's IMD decile: from its LSOA when the directory holds LSOAs of the table's vintage
 * (2021 for IoD2025, 2011 for IoD2019), else from its council's summary.
 */
export function deprivationDecile(
  directory: PostcodeDirectory,
  imd: { lsoa?: ImdTable; council?: ImdTable },
  compactPostcode: string,
  council: string | undefined,
): { decile: number; basis: DeprivationBasis } | undefined {
  const vintage = imd.lsoa?.edition === 'IoD2025' ? 'lsoa21' : 'lsoa11';
  if (imd.lsoa && directory.hasLsoa && directory.meta.lsoaColumn === vintage && compactPostcode !== '') {
    const row = directory.indexOf(compactPostcode);
    const lsoa = row >= 0 ? directory.entry(row).lsoa : undefined;
    const decile = lsoa === undefined ? undefined : imd.lsoa.deciles[lsoa];
    if (decile !== undefined) return { decile, basis: 'lsoa' };
  }
  // Never mix editions: a council summary of another edition than the LSOA table is not used.
  const councils = imd.lsoa && imd.council && imd.lsoa.edition !== imd.council.edition ? undefined : imd.council;
  const decile = council === undefined ? undefined : councils?.deciles[council];
  return decile === undefined ? undefined : { decile, basis: 'council' };
}
