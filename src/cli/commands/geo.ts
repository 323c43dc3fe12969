import { Command } from 'commander';
import { z } from 'zod';
import { dataHome, directoryMissing, directoryPath, loadDirectory, type PostcodeDirectory } from '../../geo/directory.js';
import { deprivationDecile, importImd, loadImd } from '../../geo/imd.js';
import { IMD_ATTRIBUTION, OGL_ATTRIBUTION } from '../../geo/attribution.js';
import { importDirectory } from '../../geo/import.js';
import { displayPostcode, parsePostcode } from '../../geo/postcode.js';
import { countryName, regionName } from '../../geo/regions.js';
import type { Placement } from '../../domain/placement.js';
import type { Area } from '../../geo/area.js';
import { resolveArea } from '../../geo/resolve.js';
import { shownMessage } from '../../report/format.js';
import { parseOptions, progressReporter } from '../inputs.js';

const importOptions = z.object({ ladNames: z.string().min(1).optional(), json: z.boolean().optional() });
const statusOptions = z.object({ json: z.boolean().optional() });
const imdOptions = z.object({ edition: z.enum(['IoD2025', 'IoD2019']).optional(), json: z.boolean().optional() });
const lookupOptions = z.object({ area: z.string().min(1).optional(), json: z.boolean().optional() });

interface Output {
  write(text: string): unknown;
}

/** `local-impact geo …`: import the ONS postcode directory, say what is imported, look postcodes up. */
export function geoCommand(out: Output = process.stdout): Command {
  const geo = new Command('geo').description('the ONS postcode directory: import it once, then define "local" by council, region or radius');

  geo
    .command('import')
    .description('import the National Statistics Postcode Lookup (NSPL) or ONS Postcode Directory: the zip as downloaded, its CSV, or a .csv.gz')
    .argument('<file>', 'the NSPL/ONSPD zip or CSV')
    .option('--lad-names <file>', 'council code → name table (LAD24CD/LAD24NM, or lad_code/lad_name); the NSPL zip carries its own')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, raw: unknown) => {
      const options = parseOptions(importOptions, raw);
      const started = Date.now();
      const report = progressReporter(!options.json);
      const result = await importDirectory(file, {
        ladNames: options.ladNames,
        home: dataHome(),
        onProgress: report && ((done, total) => report(file, done, total)),
      });
      const seconds = (Date.now() - started) / 1000;
      const { meta } = result;
      if (options.json) {
        out.write(`${JSON.stringify({ ...summary(meta, result.location), indexBytes: result.indexBytes, seconds }, null, 2)}\n`);
        return;
      }
      out.write(
        [
          `Imported ${meta.count.toLocaleString('en-GB')} postcodes from ${meta.source.file} in ${seconds.toFixed(1)} s.`,
          `  ${meta.districts.toLocaleString('en-GB')} postcode districts, ${meta.straddlingDistricts.toLocaleString('en-GB')} of them in more than one council`,
          `  ${meta.terminated.toLocaleString('en-GB')} terminated, ${meta.withoutCoordinates.toLocaleString('en-GB')} without coordinates, ${meta.skipped.toLocaleString('en-GB')} skipped`,
          `  council names: ${meta.namesSource ? `${meta.councils.length} from ${meta.namesSource}` : 'none (councils by code only; give --lad-names)'}`,
          `  index: ${result.location} (${(result.indexBytes / 1e6).toFixed(1)} MB)`,
          OGL_ATTRIBUTION,
          '',
        ].join('\n'),
      );
    });

  geo
    .command('status')
    .description('say which postcode directory is imported')
    .option('--json', 'print as JSON')
    .action((raw: unknown) => {
      const options = parseOptions(statusOptions, raw);
      const home = dataHome();
      const directory = loadDirectory(home);
      if (options.json) {
        const imd = Object.values(loadImd(home)).map((t) => ({ edition: t.edition, basis: t.basis, source: t.source, areas: Object.keys(t.deciles).length }));
        out.write(`${JSON.stringify(directory ? { ...summary(directory.meta, directory.location), deprivation: imd } : { imported: false, location: directoryPath(home) }, null, 2)}\n`);
        return;
      }
      if (!directory) {
        out.write(`No postcode directory imported (looked in ${directoryPath(home)}).\n${directoryMissing('Placing postcodes by council, region or radius').options.hint}\n`);
        return;
      }
      const m = directory.meta;
      out.write(
        [
          `Postcode directory: ${m.source.file} (${(m.source.bytes / 1e6).toFixed(1)} MB, dated ${m.source.modified.slice(0, 10)})`,
          `  imported ${m.importedAt.slice(0, 16).replace('T', ' ')} into ${directory.location}`,
          `  ${m.count.toLocaleString('en-GB')} postcodes (${m.live.toLocaleString('en-GB')} live, ${m.terminated.toLocaleString('en-GB')} terminated) in ${m.districts.toLocaleString('en-GB')} districts`,
          `  council names: ${m.namesSource ? `${m.councils.length} from ${m.namesSource}` : 'none'}; LSOAs: ${m.lsoaColumn ?? 'no'}`,
          ...Object.values(loadImd(home)).map((t) => `  deprivation: ${t.edition} by ${t.basis === 'lsoa' ? 'LSOA' : 'council'}, ${Object.keys(t.deciles).length.toLocaleString('en-GB')} areas, from ${t.source}`),
          OGL_ATTRIBUTION,
          '',
        ].join('\n'),
      );
    });

  geo
    .command('lookup')
    .description('look postcodes up: district, council, region, country, coordinates; with --area, whether each is local and why')
    .argument('<postcode...>', 'postcodes or districts')
    .option('--area <spec>', 'an area definition, as for run --area')
    .option('--json', 'print as JSON')
    .action((postcodes: string[], raw: unknown) => {
      const options = parseOptions(lookupOptions, raw);
      const directory = loadDirectory(dataHome());
      if (!directory) throw directoryMissing('geo lookup');
      const area = options.area === undefined ? undefined : resolveArea(options.area, directory);
      const imd = loadImd();
      const rows = postcodes.map((text) => {
        const row = lookup(directory, text, area);
        const found = row.found ? deprivationDecile(directory, imd, row.postcode.replace(' ', ''), row.council) : undefined;
        return found ? { ...row, imdDecile: found.decile, imdBasis: found.basis, imdEdition: (imd.lsoa ?? imd.council)!.edition } : row;
      });
      if (options.json) {
        out.write(`${JSON.stringify({ area: area && { spec: area.spec, terms: area.terms, findings: area.findings ?? [] }, postcodes: rows }, null, 2)}\n`);
        return;
      }
      const lines: string[] = [];
      if (area) {
        lines.push(`Area: ${area.terms.join('; ')}`);
        for (const finding of area.findings ?? []) lines.push(`  ${shownMessage(finding)}`);
      }
      for (const row of rows) {
        const where = [
          row.council && `${row.councilName} (${row.council})`,
          row.regionName,
          row.countryName,
          row.lat !== undefined && `${row.lat.toFixed(4)}, ${row.long!.toFixed(4)}`,
          row.terminated && 'terminated',
          row.imdDecile !== undefined && `IMD decile ${row.imdDecile} (${row.imdEdition}, by ${row.imdBasis === 'lsoa' ? 'LSOA' : 'council'})`,
        ].filter(Boolean);
        if (row.councils && row.councils.length > 1) where.unshift(row.councils.map((c) => `${c.councilName} ${(c.share * 100).toFixed(1)}%`).join(', '));
        lines.push(`${row.postcode}${row.district && row.district !== row.postcode ? ` (district ${row.district})` : ''}: ${row.found ? where.join(' · ') : row.problem}`);
        if (row.placement) {
          const p = row.placement;
          const extra = [
            p.localShareEstimate !== undefined && `${(p.localShareEstimate * 100).toFixed(1)}% of its postcodes inside`,
            p.distanceMiles !== undefined && `${p.distanceMiles.toFixed(1)} miles from the centre`,
            p.note && shownMessage({ code: p.note, args: { value: row.postcode } }),
          ].filter(Boolean);
          lines.push(`  ${p.status} (${p.reason})${extra.length > 0 ? `: ${extra.join('; ')}` : ''}`);
        }
      }
      out.write(`${lines.join('\n')}\n`);
    });

  geo
    .command('import-imd')
    .description('import the English Indices of Deprivation, by LSOA (IoD2025 on 2021 LSOAs, or IoD2019) or by council')
    .argument('<file>', 'an IoD CSV: LSOA code with IMD decile or rank, or council code with average score')
    .option('--edition <edition>', 'IoD2025 or IoD2019, when the file name does not say')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, raw: unknown) => {
      const options = parseOptions(imdOptions, raw);
      const home = dataHome();
      const table = await importImd(file, { edition: options.edition, home, directory: loadDirectory(home) });
      const areas = Object.keys(table.deciles).length;
      if (options.json) {
        out.write(`${JSON.stringify({ edition: table.edition, basis: table.basis, source: table.source, areas, method: table.method, unmapped: table.unmapped ?? [] }, null, 2)}\n`);
        return;
      }
      const lines = [`Imported ${table.edition} deciles for ${areas.toLocaleString('en-GB')} ${table.basis === 'lsoa' ? 'LSOAs' : 'councils'} from ${table.source} (${table.method}).`];
      if (table.unmapped) lines.push(`  ${table.unmapped.length} old council codes were merged into new councils and have no decile: ${table.unmapped.join(', ')}.`);
      if (table.basis === 'lsoa') lines.push('  Suppliers are given the decile of their postcode\'s LSOA when the imported postcode directory has LSOAs of the same vintage.');
      lines.push(IMD_ATTRIBUTION, '');
      out.write(lines.join('\n'));
    });

  return geo;
}

function summary(meta: PostcodeDirectory['meta'], location: string) {
  return {
    imported: true,
    location,
    source: meta.source,
    importedAt: meta.importedAt,
    postcodes: meta.count,
    live: meta.live,
    terminated: meta.terminated,
    withoutCoordinates: meta.withoutCoordinates,
    skipped: meta.skipped,
    districts: meta.districts,
    straddlingDistricts: meta.straddlingDistricts,
    councilNames: meta.namesSource ? { source: meta.namesSource, count: meta.councils.length } : null,
    attribution: OGL_ATTRIBUTION,
  };
}

/** One postcode as `geo lookup` reports it; `councils` lists a district's councils by share of its live postcodes. */
export interface LookupRow {
  postcode: string;
  district: string | undefined;
  found: boolean;
  problem?: string;
  council?: string;
  councilName?: string;
  region?: string;
  regionName?: string;
  country?: string;
  countryName?: string;
  lat?: number;
  long?: number;
  terminated?: boolean;
  lsoa?: string;
  imdRank?: number;
  imdDecile?: number;
  imdBasis?: 'lsoa' | 'council';
  imdEdition?: string;
  postcodes?: number;
  councils?: { council: string; councilName: string; share: number }[];
  placement: Placement | undefined;
}

function lookup(directory: PostcodeDirectory, text: string, area: Area | undefined): LookupRow {
  const parsed = parsePostcode(text);
  const postcode = displayPostcode(parsed) || text;
  const district = parsed.kind === 'full' || parsed.kind === 'district' ? parsed.district : undefined;
  const placement = area?.place(parsed);
  const base = { postcode, district, placement };
  if (parsed.kind === 'full') {
    const row = directory.indexOf(parsed.postcode.replace(' ', ''));
    if (row >= 0) {
      const entry = directory.entry(row);
      return {
        ...base,
        found: true,
        council: entry.council || undefined,
        councilName: entry.council ? directory.councilName(entry.council) : undefined,
        region: entry.region || undefined,
        regionName: regionName(entry.region),
        country: entry.country || undefined,
        countryName: countryName(entry.country),
        lat: entry.lat,
        long: entry.long,
        terminated: entry.terminated,
        lsoa: entry.lsoa,
        imdRank: entry.imdRank,
      };
    }
    return { ...base, found: false, problem: 'not in the postcode directory' };
  }
  if (parsed.kind === 'district') {
    const [from, to] = directory.rangeOf(parsed.district);
    const councils = new Map<string, number>();
    for (let row = from; row < to; row++) {
      if (directory.isTerminated(row)) continue;
      const council = directory.place(row).council;
      councils.set(council, (councils.get(council) ?? 0) + 1);
    }
    const total = [...councils.values()].reduce((a, b) => a + b, 0);
    if (total === 0) return { ...base, found: false, problem: 'no postcodes in the directory' };
    const shares = [...councils.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([council, n]) => ({ council, councilName: directory.councilName(council), share: Math.round((n / total) * 10_000) / 10_000 }));
    return {
      ...base,
      found: true,
      postcodes: total,
      councils: shares,
      ...(shares.length === 1 ? { council: shares[0]!.council, councilName: shares[0]!.councilName } : {}),
    };
  }
  return { ...base, found: false, problem: parsed.kind === 'blank' ? 'blank' : 'not a UK postcode' };
}
