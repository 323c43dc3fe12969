import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { analyse } from '../src/analyse.js';
import { geoCommand, type LookupRow } from '../src/cli/commands/geo.js';
import { main } from '../src/cli/main.js';
import { loadProjectFile, resolveSettings } from '../src/config/settings.js';
import { UsageError } from '../src/errors.js';
import { IMD_ATTRIBUTION, OGL_ATTRIBUTION } from '../src/geo/attribution.js';
import { decodePostcode, encodePostcode, loadDirectory, type PostcodeDirectory } from '../src/geo/directory.js';
import { deprivationDecile, importImd, loadImd } from '../src/geo/imd.js';
import { importDirectory } from '../src/geo/import.js';
import { CouncilNames, readCouncilNames } from '../src/geo/names.js';
import { parsePostcode } from '../src/geo/postcode.js';
import { distanceMiles, resolveArea } from '../src/geo/resolve.js';
import { rowOf } from './workbook-helper.js';

/**
 * The postcode directory against the real data in ../shared/data/uk-geo (every GB postcode in the NSPL's
 * column layout). It is imported once, through the CLI, into a temporary LOCAL_IMPACT_HOME.
 */
const SHARED = join(import.meta.dirname, '../../shared/data/uk-geo');
const NSPL = join(SHARED, 'nspl_style_gb.csv.gz');
const LAD = join(SHARED, 'lad.csv');
const IMD = join(SHARED, '../imd');
const present = existsSync(NSPL) && existsSync(LAD);
if (!present) throw new Error(`${NSPL} is absent: the geo tests import the shared postcode directory from ../shared/data.`);

describe('postcode keys', () => {
  it.each(['HX11RE', 'M34LQ', 'SW1A1AA', 'EC1A1BB', 'W1A0AX', 'ZE29ZZ', 'A99ZZ', 'B11AA'])('%s survives the round trip', (compact) => {
    const key = encodePostcode(compact);
    expect(key).toBeGreaterThanOrEqual(0);
    expect(key).toBeLessThan(2 ** 31);
    expect(decodePostcode(key).replace(' ', '')).toBe(compact);
  });
  it('orders a district before the next one, with every sector inside', () => {
    expect(encodePostcode('M30AA')).toBeLessThan(encodePostcode('M39ZZ'));
    expect(encodePostcode('M39ZZ')).toBeLessThan(encodePostcode('M40AA'));
  });
  it.each(['GIR0AA', 'NPT0AD', 'HX1', '12345', 'HX11R'])('%s cannot be held', (compact) => {
    expect(encodePostcode(compact)).toBe(-1);
  });
});

describe('council names', () => {
  const names = new CouncilNames(
    readCouncilNames(
      'LAD24CD,LAD24NM,LAD24NMW\nE08000033,Calderdale,\nE06000023,"Bristol, City of",\nE08000021,Newcastle upon Tyne,\nE07000195,Newcastle-under-Lyme,\n',
      'names.csv',
    ),
  );
  it('reads the ONS names file and finds a council however it is written', () => {
    for (const text of ['Calderdale', 'calderdale council', 'CALDERDALE METROPOLITAN BOROUGH COUNCIL']) {
      expect(names.find(text)).toMatchObject({ kind: 'found', council: { code: 'E08000033' } });
    }
    expect(names.find('Bristol City Council')).toMatchObject({ kind: 'found', council: { code: 'E06000023' } });
  });
  it('reads quoted names holding commas, doubled quotes and a line break, as in lad.csv', () => {
    const text = [
      '\uFEFFlad_code,lad_name,current_lad_code,county_name,other_names',
      'E06000023,"Bristol, City of",E06000023,,"Bristol City Council|Cyngor ""Bristol"""',
      'E07000165,Harrogate,E06000065,North Yorkshire,"Harrogate Borough Council|Harrogate,\r\nKnaresborough and Ripon"',
      '',
      ',Not a council,,,',
    ].join('\r\n');
    expect(readCouncilNames(text, 'lad.csv')).toEqual([
      { code: 'E06000023', name: 'Bristol, City of', otherNames: ['Bristol City Council', 'Cyngor "Bristol"'] },
      { code: 'E07000165', name: 'Harrogate', otherNames: ['Harrogate Borough Council', 'Harrogate,\r\nKnaresborough and Ripon'], successor: 'E06000065', county: 'North Yorkshire' },
    ]);
  });

  it('suggests candidates for an unknown name', () => {
    const match = names.find('Newcastle');
    expect(match.kind).toBe('unknown');
    expect(match.kind !== 'found' && match.candidates.map((c) => c.code)).toEqual(['E08000021', 'E07000195']);
  });
});

describe('the imported postcode directory', () => {
  let home: string;
  let directory: PostcodeDirectory;
  const previousHome = process.env.LOCAL_IMPACT_HOME;
  let importOutput = '';

  /** `local-impact <args>` in-process, returning what it printed on stdout. */
  const run = async (...args: string[]) => {
    let text = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((text += String(chunk)), true));
    try {
      expect(await main(['node', 'local-impact', 'run', ...args])).toBe(0);
    } finally {
      out.mockRestore();
    }
    return text;
  };

  const cli = async (...args: string[]) => {
    let text = '';
    await geoCommand({ write: (chunk: string) => (text += chunk) })
      .exitOverride()
      .parseAsync(args, { from: 'user' });
    return text;
  };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'local-impact-geo-'));
    process.env.LOCAL_IMPACT_HOME = home;
    importOutput = await cli('import', NSPL, '--lad-names', LAD, '--json');
    directory = loadDirectory(home)!;
  });

  afterAll(async () => {
    if (previousHome === undefined) delete process.env.LOCAL_IMPACT_HOME;
    else process.env.LOCAL_IMPACT_HOME = previousHome;
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('imports every GB postcode into a compact index', () => {
    const result = JSON.parse(importOutput);
    expect(result).toMatchObject({
      imported: true,
      postcodes: 2_649_523,
      skipped: 2_418, // GIR 0AA and 2,417 old NPT postcodes, which no address uses
      withoutCoordinates: 21_254,
      districts: 3_038,
      straddlingDistricts: 1_590,
      councilNames: { source: 'lad.csv', count: 459 },
    });
    expect(result.indexBytes).toBe(32 + 2_649_523 * 12);
    expect(result.indexBytes).toBeLessThan(40e6);
  });

  // How fast this is belongs to the benchmark (npm run bench), not to a test.
  it('loads the index and places 20,000 distinct postcodes, spread across it, exactly', () => {
    const loaded = loadDirectory(home)!;
    const area = resolveArea('Calderdale', loaded);
    const step = Math.floor(loaded.count / 20_000);
    expect(step).toBe(132);
    const sample = Array.from({ length: 20_000 }, (_, i) => postcodeAt(loaded, i * step));
    expect(new Set(sample).size).toBe(20_000);
    expect([sample[0], sample.at(-1)]).toEqual(['AB1 0AA', 'YO42 2BN']); // the first postcode in key order, and the 19,999th step on
    const statuses: Record<string, number> = {};
    for (const postcode of sample) {
      const { status } = area.place(parsePostcode(postcode));
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
    // 74 of them have laua E08000033 in the NSPL file. The one with no council (TW98 7NZ) is outside a council area.
    expect(statuses).toEqual({ local: 74, 'non-local': 19_926 });
  });

  it('places a full postcode in its council exactly', () => {
    const entry = directory.entry(directory.indexOf('HX11RE'));
    expect(entry).toMatchObject({ postcode: 'HX1 1RE', council: 'E08000033', region: 'E12000003', country: 'E92000001', lat: 53.7221, long: -1.8564, terminated: false });
    // M3 straddles Manchester and Salford: each full postcode still has one council.
    expect(directory.entry(directory.indexOf('M34LQ')).council).toBe('E08000003');
    expect(directory.entry(directory.indexOf('M37BB')).council).toBe('E08000006');
  });

  it('resolves a council by code or by name, in any case', () => {
    for (const spec of ['E08000033', 'Calderdale', 'calderdale council', 'Calderdale Metropolitan Borough Council', 'council:CALDERDALE']) {
      const area = resolveArea(spec, directory);
      expect(area.terms).toEqual(['Calderdale (council E08000033)']);
      expect(area.place(parsePostcode('HX1 1RE'))).toEqual({
        status: 'local', reason: 'IN_AREA', council: 'E08000033', councilName: 'Calderdale', region: 'E12000003', regionName: 'Yorkshire and The Humber',
      });
    }
  });

  it('places districts: wholly inside, wholly outside, or straddling with the share as an estimate', () => {
    const calderdale = resolveArea('Calderdale', directory);
    expect(calderdale.place(parsePostcode('HX1'))).toMatchObject({ status: 'local', reason: 'IN_AREA', council: 'E08000033' });
    expect(calderdale.place(parsePostcode('LS1'))).toMatchObject({ status: 'non-local', reason: 'OUTSIDE_AREA', council: 'E08000035' });
    expect(calderdale.place(parsePostcode('OL14'))).toEqual({
      status: 'unknown', reason: 'DISTRICT_PARTLY_INSIDE', localShareEstimate: 0.994, // the rest is in Burnley, in another region
    });
    const manchester = resolveArea('Manchester', directory);
    expect(manchester.place(parsePostcode('M3'))).toMatchObject({ status: 'unknown', reason: 'DISTRICT_PARTLY_INSIDE', localShareEstimate: 0.4953 });
    expect(manchester.place(parsePostcode('M3 4LQ'))).toMatchObject({ status: 'local', council: 'E08000003' });
    expect(manchester.place(parsePostcode('M3 7BB'))).toMatchObject({ status: 'non-local', council: 'E08000006', councilName: 'Salford' });
    // Both councils together hold all of M3.
    expect(resolveArea('Manchester,Salford', directory).place(parsePostcode('M3'))).toMatchObject({ status: 'local', reason: 'IN_AREA' });
  });

  it('follows an abolished council to its successor, with a finding', () => {
    for (const spec of ['E07000165', 'Harrogate']) {
      const area = resolveArea(spec, directory);
      expect(area.terms).toEqual(['North Yorkshire (council E06000065)']);
      expect(area.findings).toEqual([
        { code: 'COUNCIL_SUCCEEDED', args: { given: spec, code: 'E07000165', name: 'Harrogate', successor: 'E06000065', successorName: 'North Yorkshire' } },
      ]);
      expect(area.place(parsePostcode('HG1 1AA')).status).toBe('local');
    }
    // Gateshead kept its name and area under a new code: a recoding, not a merger that widens "local".
    expect(resolveArea('E08000020', directory).findings).toEqual([
      { code: 'COUNCIL_RECODED', args: { given: 'E08000020', code: 'E08000020', name: 'Gateshead', successor: 'E08000037', successorName: 'Gateshead' } },
    ]);
  });

  it('warns that an abolished council now means the whole of its successor, and how to mean the old area', async () => {
    const out = join(home, 'harrogate.xlsx');
    const json = JSON.parse(await run('--spend', 'fixtures/calder-valley-trust/payments-2024-25.csv', '--area', 'Harrogate', '--out', out, '--json', '--quiet'));
    expect(json.area.terms).toEqual(['North Yorkshire (council E06000065)']);
    const finding = json.findings.find((f: { code: string }) => f.code === 'COUNCIL_SUCCEEDED');
    expect(finding).toMatchObject({ severity: 'warning', count: 1 });
    // The directory holds today's councils only, so the way to the old area is its postcode districts.
    expect(finding.message).toContain('give its postcode districts in place of "Harrogate"');
  });

  it('resolves regions and countries, and says West Yorkshire is not a region', () => {
    const region = resolveArea('Yorkshire and the Humber', directory);
    expect(region.terms).toEqual(['Yorkshire and The Humber (region E12000003)']);
    expect(region.place(parsePostcode('HX1 1RE')).status).toBe('local');
    expect(region.place(parsePostcode('M3 4LQ')).status).toBe('non-local');
    expect(resolveArea('Wales', directory).place(parsePostcode('CF10 1AA'))).toMatchObject({ status: 'local', council: 'W06000015' });
    const county = usageError(() => resolveArea('West Yorkshire', directory));
    expect(county.message).toBe('"West Yorkshire" is not a region or a council: it is a county made of several councils.');
    expect(county.options.hint).toBe(
      'Name its councils: --area "Bradford,Calderdale,Kirklees,Leeds,Wakefield". ' +
        'The regions are: North East, North West, Yorkshire and The Humber, East Midlands, West Midlands, East of England, London, South East, South West.',
    );
  });

  it('fails on an unknown or ambiguous name, listing candidates', () => {
    const forms =
      'Give a council by name or code (Calderdale, E08000033), a region (Yorkshire and The Humber), a country, postcode districts or radius:<postcode>:<miles>.';
    const misspelt = usageError(() => resolveArea('Calderdle', directory));
    expect(misspelt.message).toBe('"Calderdle" is not a council, region or country the tool knows.');
    expect(misspelt.options.hint).toBe(`Did you mean: Calderdale (E08000033)? ${forms}`);
    const ambiguous = usageError(() => resolveArea('Newcastle', directory));
    expect(ambiguous.message).toBe('"Newcastle" is not a council, region or country the tool knows.');
    expect(ambiguous.options.hint).toBe(`Did you mean: Newcastle upon Tyne (E08000021), Newcastle-under-Lyme (E07000195)? ${forms}`);
  });

  it('keeps ONS names with a comma whole and mixes councils with postcode districts', () => {
    const area = resolveArea('Bristol, City of, OL14', directory);
    expect(area.terms).toEqual(['Bristol, City of (council E06000023)', 'OL14 (postcode district)']);
    expect(area.place(parsePostcode('BS1 1AA')).status).toBe('local');
    expect(area.place(parsePostcode('OL14')).status).toBe('local');
  });

  it('measures a radius by great-circle distance', () => {
    // HX1 1RE (53.7221, -1.8564) to HD1 1AA (53.6484, -1.7815): 5.09 miles north–south, 3.07 east–west, 5.94 miles.
    expect(distanceMiles(53.7221, -1.8564, 53.6484, -1.7815)).toBeCloseTo(5.94, 2);
    const area = resolveArea('radius:HX1 1RE:10', directory);
    expect(area.terms).toEqual(['within 10 miles of HX1 1RE (radius)']);
    expect(area.place(parsePostcode('HD1 1AA'))).toMatchObject({ status: 'local', council: 'E08000034', councilName: 'Kirklees', distanceMiles: 5.94 });
    expect(area.place(parsePostcode('LS1 1AA'))).toMatchObject({ status: 'non-local', distanceMiles: 13.43 });
  });

  it('tells unknown, Northern Irish, Crown dependency and foreign postcodes apart', () => {
    const area = resolveArea('Calderdale', directory);
    const place = (text: string) => area.place(parsePostcode(text));
    expect(place('HX1 1CC')).toMatchObject({ status: 'local', note: 'POSTCODE_UNKNOWN' }); // no such unit (C is never used), but HX1 lies wholly inside
    expect(place('ZZ1 1ZZ')).toMatchObject({ status: 'unknown', reason: 'POSTCODE_INVALID', note: 'POSTCODE_UNKNOWN' });
    expect(place('BT1 1AA')).toEqual({ status: 'non-local', reason: 'OUTSIDE_AREA', note: 'POSTCODE_NORTHERN_IRELAND' });
    expect(place('JE2 3AB')).toEqual({ status: 'non-local', reason: 'OUTSIDE_AREA', note: 'POSTCODE_CROWN_DEPENDENCY' });
    expect(place('IM1 1AA')).toEqual({ status: 'non-local', reason: 'OUTSIDE_AREA', note: 'POSTCODE_CROWN_DEPENDENCY' });
    expect(place('D02 X285')).toEqual({ status: 'non-local', reason: 'OUTSIDE_AREA', note: 'POSTCODE_NOT_UK' });
    expect(place('75008')).toEqual({ status: 'non-local', reason: 'OUTSIDE_AREA', note: 'POSTCODE_NOT_UK' });
    expect(place('N/A')).toEqual({ status: 'unknown', reason: 'POSTCODE_INVALID' });
    expect(place('')).toEqual({ status: 'unknown', reason: 'NO_POSTCODE' });
  });

  it('geo status and geo lookup report what is imported', async () => {
    expect(JSON.parse(await cli('status', '--json'))).toMatchObject({ imported: true, postcodes: 2_649_523, source: { file: 'nspl_style_gb.csv.gz' } });
    const looked = JSON.parse(await cli('lookup', 'hx1 1re', 'M3', '--area', 'Manchester', '--json')) as { postcodes: LookupRow[] };
    expect(looked.postcodes[0]).toMatchObject({ postcode: 'HX1 1RE', district: 'HX1', found: true, council: 'E08000033', councilName: 'Calderdale', countryName: 'England' });
    expect(looked.postcodes[1]).toMatchObject({
      postcode: 'M3',
      councils: [
        { council: 'E08000006', councilName: 'Salford', share: 0.5047 },
        { council: 'E08000003', councilName: 'Manchester', share: 0.4953 },
      ],
      placement: { status: 'unknown', reason: 'DISTRICT_PARTLY_INSIDE', localShareEstimate: 0.4953 },
    });
  });

  it('runs the fixture organisation with "local" as its council', async () => {
    const project = 'fixtures/calder-valley-trust/project.json';
    const settings = resolveSettings(await loadProjectFile(project), project, { area: 'Calderdale' });
    const analysis = await analyse(settings);
    expect(analysis.area?.terms).toEqual(['Calderdale (council E08000033)']);
    // Against --area "HX,OL14": suppliers in HX3, HX4 and OL14 (partly outside Calderdale) known only by district move to unknown.
    expect(analysis.spend).toMatchObject({ total: 47_072_258, local: 24_046_575, nonLocal: 22_048_777, unknown: 976_906, localSuppliers: 39, nonLocalSuppliers: 34, unknownSuppliers: 8 });
    expect(analysis.workforce).toMatchObject({ localStaff: 29, nonLocalStaff: 6, unknownStaff: 5 });
    expect(analysis.findings.count('POSTCODE_UNKNOWN')).toBe(7); // the fixture's postcodes are made up
    expect(analysis.findings.count('DISTRICT_STRADDLES')).toBe(3);
    expect(analysis.findings.details.find((f) => f.code === 'DISTRICT_STRADDLES' && f.args?.district === 'OL14')).toMatchObject({
      args: { supplier: 'Todmorden Youth Arts CIC', share: '99.4%' },
    });
    expect(analysis.suppliers.find((s) => s.name === 'Moorland Insurance Brokers Ltd')).toMatchObject({ status: 'non-local', postcode: 'LS1 2HQ', council: 'E08000035', councilName: 'Leeds', region: 'E12000003' });
  });

  it('reports nested tiers side by side, and the uncertain part of unknown with its estimate', async () => {
    const project = 'fixtures/calder-valley-trust/project.json';
    const tier = ['Calderdale', 'Yorkshire and The Humber', 'England'];
    const analysis = await analyse(resolveSettings(await loadProjectFile(project), project, { area: 'Calderdale', tier }));
    const geography = analysis.geography!;
    expect(geography.tiers.map(({ spec, local, nonLocal, unknown }) => ({ spec, local, nonLocal, unknown }))).toEqual([
      { spec: 'Calderdale', local: 24_046_575, nonLocal: 22_048_777, unknown: 976_906 }, // the same as the area itself
      { spec: 'Yorkshire and The Humber', local: 29_466_598, nonLocal: 16_755_754, unknown: 849_906 },
      { spec: 'England', local: 46_622_352, nonLocal: 0, unknown: 449_906 },
    ]);
    expect(geography.tiers[2]!.localShare).toBe(46_622_352 / 47_072_258);
    // OL14, HX3 and HX4 are almost all Calderdale: £5,270.00 uncertain, an estimated £5,239.43 of it local.
    expect(geography).toMatchObject({ uncertain: 527_000, uncertainEstimatedLocal: 523_943 });
    expect(geography.byCouncil[0]).toEqual({ council: 'E08000033', councilName: 'Calderdale', suppliers: 39, amount: 23_838_723 });
    expect(geography.byCouncil.reduce((sum, c) => sum + c.amount, 0)).toBe(47_072_258);
  });

  it('imports the IoD by council and reports spend in the most deprived areas', async () => {
    const old = JSON.parse(await cli('import-imd', join(IMD, 'imd2019_lad19_summary.csv'), '--json'));
    // 317 councils of 2019, less the 28 merged since into Cumberland, Westmorland and Furness, North Yorkshire, Somerset…
    expect(old).toMatchObject({ edition: 'IoD2019', basis: 'council', areas: 289 });
    // Buckinghamshire's 4 (2020), Northamptonshire's 7 (2021), Cumbria's 6, North Yorkshire's 7 and Somerset's 4 (2023).
    expect([...old.unmapped].sort()).toEqual([
      'E07000004', 'E07000005', 'E07000006', 'E07000007',
      'E07000026', 'E07000027', 'E07000028', 'E07000029', 'E07000030', 'E07000031',
      'E07000150', 'E07000151', 'E07000152', 'E07000153', 'E07000154', 'E07000155', 'E07000156',
      'E07000163', 'E07000164', 'E07000165', 'E07000166', 'E07000167', 'E07000168', 'E07000169',
      'E07000187', 'E07000188', 'E07000189', 'E07000246',
    ]);
    const current = JSON.parse(await cli('import-imd', join(IMD, 'imd2025_ltla24_summary.csv'), '--json'));
    expect(current).toMatchObject({ edition: 'IoD2025', basis: 'council', areas: 296, unmapped: [] });
    expect(loadImd(home).council?.deciles).toMatchObject({ E08000003: 1, E08000033: 2, E06000065: 7, E09000001: 10 });

    const project = 'fixtures/calder-valley-trust/project.json';
    const analysis = await analyse(resolveSettings(await loadProjectFile(project), project, { area: 'Calderdale' }));
    expect(analysis.deprivation).toEqual({
      edition: 'IoD2025',
      basis: 'council',
      decile1: 10_144_499,
      decile1to2: 34_037_222,
      decile1Share: 10_144_499 / 47_072_258,
      decile1to2Share: 34_037_222 / 47_072_258,
      coveredShare: 45_537_632 / 47_072_258, // all but the £15,346.26 of the 9 suppliers not placed in one council and the £48.00 unattributable
    });
    expect(analysis.suppliers.find((s) => s.council === 'E08000033')).toMatchObject({ imdDecile: 2, deprivationBasis: 'council' });
  });

  it('measures staff travel from home districts to the workplace, publishing only counts of 3 or more a side', async () => {
    const project = 'fixtures/calder-valley-trust/project.json';
    const analysis = await analyse(resolveSettings(await loadProjectFile(project), project, {}));
    const travel = analysis.travel!;
    expect(travel.workplace).toBe('HX1 2QN');
    expect(travel.measured.measured + travel.measured.unmeasured).toBe(40);
    // Every row of the staff-by-district table splits none, all, or 3 or more each side (the pooled row 7 and 6).
    expect(travel.measured).toMatchObject({ measured: 39, within: 27, unmeasured: 1 });
    expect(travel.measured.byRow.find((r) => r.row.startsWith('Other districts'))).toMatchObject({ within: 7, beyond: 6 });
    expect(travel.published).toBe(true);
    const item = (await import('../src/framework/assess.js')).assessCharacteristics(analysis)[5]!.items.find((i) => i.id === '6.m1')!;
    expect(item.met === undefined).toBe(!travel.published);
  });

  it('reports the tiers, the uncertain spend and deprivation in the JSON and the workbook', async () => {
    const out = join(home, 'tiers.xlsx');
    const tierArgs = ['--tier', 'Calderdale', '--tier', 'Yorkshire and The Humber', '--tier', 'England'];
    const json = JSON.parse(await run('fixtures/calder-valley-trust/project.json', '--area', 'Calderdale', ...tierArgs, '--out', out, '--json'));
    // Each tier locates 97.9%, 98.2% and 99.0% of spend (above 80%): findings; the high end counts its unknown as local.
    expect(json.tiers).toEqual([
      { spec: 'Calderdale', label: 'Calderdale', local: 240465.75, localShare: 24_046_575 / 47_072_258, localShareSupported: true, localShareHigh: 25_023_481 / 47_072_258, nonLocal: 220487.77, unknown: 9769.06 },
      { spec: 'Yorkshire and The Humber', label: 'Yorkshire and The Humber', local: 294665.98, localShare: 29_466_598 / 47_072_258, localShareSupported: true, localShareHigh: 30_316_504 / 47_072_258, nonLocal: 167557.54, unknown: 8499.06 },
      { spec: 'England', label: 'England', local: 466223.52, localShare: 46_622_352 / 47_072_258, localShareSupported: true, localShareHigh: 1, nonLocal: 0, unknown: 4499.06 },
    ]);
    expect(json.spend).toMatchObject({ total: 470722.58, unknown: 9769.06, uncertain: 5270, uncertainEstimatedLocal: 5239.43 });
    expect(json.deprivation).toEqual({
      edition: 'IoD2025',
      basis: 'council',
      decile1: 101444.99,
      decile1Share: 10_144_499 / 47_072_258,
      decile1to2: 340372.22,
      decile1to2Share: 34_037_222 / 47_072_258,
      coveredShare: 45_537_632 / 47_072_258, // all but the £15,346.26 of the 9 suppliers not placed in one council and the £48.00 unattributable
    });

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    expect(book.worksheets.map((ws) => ws.name)).toEqual(['Summary', 'Charts', 'Steps', 'LM3', 'Scenarios', 'Framework', 'Enabled contribution', 'Suppliers', 'Categories', 'Geography', 'Workforce', 'Data quality', 'Findings', 'Assumptions']);
    const geography = book.getWorksheet('Geography')!;
    const cells = (label: string, from = 2, to = 5) => (rowOf(geography, label).values as ExcelJS.CellValue[]).slice(from, to);
    expect(cells('Given as')).toEqual(['Calderdale', 'Yorkshire and The Humber', 'England']);
    expect(cells('Local')).toEqual([240465.75, 294665.98, 466223.52]);
    expect(rowOf(geography, 'Local share').getCell(4).result).toBe(46_622_352 / 47_072_258);
    expect(() => rowOf(geography, 'A finding?')).toThrow(); // every tier is above the coverage threshold
    expect(cells('Known only by a district across the boundary', 2, 3)).toEqual([5270]);
    expect(cells('Estimated local part of that', 2, 3)).toEqual([5239.43]);
    expect(cells('In the most deprived 10% of areas (decile 1)', 2, 4)).toEqual([101444.99, 10_144_499 / 47_072_258]);
    expect(cells('In the most deprived 20% of areas (deciles 1–2)', 2, 4)).toEqual([340372.22, 34_037_222 / 47_072_258]);
    expect(cells('Calderdale', 2, 5)).toEqual(['E08000033', 39, 238387.23]);
    // The 9 suppliers and the unattributable line (£48.00), which has no postcode.
    expect(cells('Not placed in one council', 3, 5)).toEqual([10, 15346.26]);
    expect(rowOf(geography, 'All councils').getCell(4).result).toBe(470722.58);

    const suppliers = book.getWorksheet('Suppliers')!;
    const header = rowOf(suppliers, 'Supplier').values as unknown[];
    expect(header.slice(5, 8)).toEqual(['Council', 'Council code', 'Region']);
    expect(header).not.toContain('Distance (miles)'); // no radius in the area
    expect((rowOf(suppliers, 'Moorland Insurance Brokers Ltd').values as ExcelJS.CellValue[]).slice(3, 8)).toEqual(['LS1 2HQ', 'spend file', 'Leeds', 'E08000035', 'Yorkshire and The Humber']);

    const assumptions = book.getWorksheet('Assumptions')!;
    expect((rowOf(assumptions, 'Tier 2').values as ExcelJS.CellValue[]).slice(2, 4)).toEqual(['Yorkshire and The Humber', 'Yorkshire and The Humber (region E12000003)']);
    expect(rowOf(assumptions, 'ONS postcode directory').getCell(2).value).toBe('nspl_style_gb.csv.gz');
    expect(String(rowOf(assumptions, 'ONS postcode directory').getCell(3).value)).toMatch(/^2,649,523 postcodes; file dated /);
    expect(rowOf(assumptions, 'English Indices of Deprivation (IoD2025)').getCell(2).value).toBe('imd2025_ltla24_summary.csv');
    const text = sheetText(assumptions);
    expect(text).toContain(OGL_ATTRIBUTION);
    expect(text).toContain(IMD_ATTRIBUTION);
    expect(sheetText(geography)).toContain(OGL_ATTRIBUTION);
  });

  it('gives each supplier its distance when the area is a radius', async () => {
    const out = join(home, 'radius.xlsx');
    await run('fixtures/calder-valley-trust/project.json', '--area', 'radius:HX1 1RE:10', '--out', out, '--quiet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const suppliers = book.getWorksheet('Suppliers')!;
    expect((rowOf(suppliers, 'Supplier').values as unknown[]).slice(5, 10)).toEqual(['Council', 'Council code', 'Region', 'Distance (miles)', 'Status']);
    expect((rowOf(suppliers, 'Moorland Insurance Brokers Ltd').values as ExcelJS.CellValue[]).slice(8, 10)).toEqual([13.54, 'non-local']); // LS1 2HQ, beyond the 10 miles
  });
});

describe('without an imported directory', () => {
  it('fails with one message saying what to download and how to import it', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'local-impact-nogeo-'));
    try {
      expect(loadDirectory(empty)).toBeUndefined();
      expect(() => resolveArea('Calderdale', undefined)).toThrow('--area "Calderdale" needs the ONS postcode directory, which has not been imported.');
      const radius = usageError(() => resolveArea('radius:HX1 1RE:10', undefined));
      expect(radius.message).toBe('--area "radius:HX1 1RE:10" needs the ONS postcode directory, which has not been imported.');
      expect(radius.options.hint).toBe(
        'Download the National Statistics Postcode Lookup (NSPL) from the ONS Open Geography Portal (geoportal.statistics.gov.uk), then run: local-impact geo import <the downloaded zip>',
      );
      // Postcode areas and districts still need nothing.
      expect(resolveArea('HX,OL14', undefined).place(parsePostcode('HX1 1RE'))).toEqual({ status: 'local', reason: 'IN_AREA' });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('the NSPL as ONS publishes it', () => {
  it('reads quoted fields, doterm, LSOA, IMD and the no-coordinates marker', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'local-impact-nspl-'));
    try {
      const csv = join(dir, 'NSPL21_MAY_2025_UK.csv');
      await writeFile(
        csv,
        [
          '"pcd","pcd2","pcds","dointr","doterm","usertype","laua","ctry","rgn","lsoa21","lat","long","imd"',
          '"HX1 1RE","HX1  1RE","HX1 1RE","198001","","0","E08000033","E92000001","E12000003","E01011080",53.722100,-1.856400,"4123"',
          '"HX1 1ZZ","HX1  1ZZ","HX1 1ZZ","198001","200012","0","E08000033","E92000001","E12000003","E01011080",53.722000,-1.856000,"4123"',
          '"AB1 0AA","AB1  0AA","AB1 0AA","198001","199606","0","S12000033","S92000003","S99999999","S01006514",99.999999,0.000000,""',
          '"BT1 1AA","BT1  1AA","BT1 1AA","198001","","0","N09000003","N92000002","N99999999","95AA01S1",54.6,-5.93,""',
        ].join('\r\n'),
      );
      const { meta } = await importDirectory(csv, { home: dir });
      expect(meta).toMatchObject({ count: 4, live: 2, terminated: 2, withoutCoordinates: 1, councils: [] });
      const nspl = loadDirectory(dir)!;
      expect(nspl.entry(nspl.indexOf('HX11ZZ'))).toMatchObject({ terminated: true, council: 'E08000033', lsoa: 'E01011080', imdRank: 4123 });
      expect(nspl.entry(nspl.indexOf('AB10AA'))).toMatchObject({ region: '', country: 'S92000003', lat: undefined, long: undefined, imdRank: undefined });
      const area = resolveArea('E08000033', nspl);
      expect(area.place(parsePostcode('HX1 1ZZ'))).toMatchObject({ status: 'local', note: 'POSTCODE_TERMINATED' });
      // With Northern Ireland in the directory, a BT postcode is placed like any other.
      expect(area.place(parsePostcode('BT1 1AA'))).toMatchObject({ status: 'non-local', reason: 'OUTSIDE_AREA', council: 'N09000003' });
      expect(() => resolveArea('Calderdale', nspl)).toThrow(/imported without council names/);
      if (existsSync(join(IMD, 'imd2025_lsoa21_imd.csv'))) {
        await importImd(join(IMD, 'imd2025_lsoa21_imd.csv'), { home: dir });
        // E01011080 (Halifax) is in the most deprived 10%; AB1 0AA is in Scotland, whose index is another nation's.
        expect(deprivationDecile(nspl, loadImd(dir), 'HX11RE', 'E08000033')).toEqual({ decile: 1, basis: 'lsoa' });
        expect(deprivationDecile(nspl, loadImd(dir), 'AB10AA', 'S12000033')).toBeUndefined();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads the zip as downloaded, with the names file from its Documents folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'local-impact-zip-'));
    try {
      const zip = join(dir, 'NSPL_MAY_2025.zip');
      await writeFile(
        zip,
        makeZip({
          'Documents/LA_UA names and codes UK as at 04_25.csv': 'LAD25CD,LAD25NM,LAD25NMW\r\nE08000033,Calderdale,\r\nE08000034,Kirklees,\r\n',
          'Data/multi_csv/NSPL21_MAY_2025_UK_HX.csv': 'pcds,laua,ctry,rgn,lat,long\r\nHX1 1RE,E08000033,E92000001,E12000003,53.7221,-1.8564\r\n',
          'Data/NSPL21_MAY_2025_UK.csv':
            'pcds,laua,ctry,rgn,lat,long\r\nHX1 1RE,E08000033,E92000001,E12000003,53.7221,-1.8564\r\nHD1 1AA,E08000034,E92000001,E12000003,53.6484,-1.7815\r\n',
        }),
      );
      const { meta } = await importDirectory(zip, { home: dir });
      expect(meta).toMatchObject({ count: 2, namesSource: 'LA_UA names and codes UK as at 04_25.csv', source: { file: 'NSPL_MAY_2025.zip' } });
      const area = resolveArea('kirklees council', loadDirectory(dir)!);
      expect(area.place(parsePostcode('HD1 1AA'))).toMatchObject({ status: 'local', councilName: 'Kirklees' });
      expect(area.place(parsePostcode('HX1 1RE'))).toMatchObject({ status: 'non-local', councilName: 'Calderdale' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads a quoted field holding a newline, quotes and commas, from a CSV, a .csv.gz and a zip alike', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'local-impact-multiline-'));
    try {
      // The NSPL21 layout as ONS publishes it: every value quoted but lat and long, CRLF line endings.
      const header =
        'pcd,pcd2,pcds,dointr,doterm,usertype,oseast1m,osnrth1m,osgrdind,oa21,cty,ced,laua,ward,nhser,ctry,rgn,pcon,ttwa,itl,park,lsoa21,msoa21,wz11,sicbl,bua24,ruc21,oac11,lat,long,lep1,lep2,pfa,imd,icb';
      const row = (pcds: string, ced: string, ward: string, laua: string, lsoa: string, lat: string, long: string, imd: string) =>
        [
          pcds, // pcd, pcd2 and pcds differ only in their spaces for a district of three characters (HX1)
          pcds.replace(' ', '  '),
          pcds,
          '198001', '', '0', '409187', '0425114', '1', 'E00053366', 'E99999999', ced, laua, ward, 'E40000012', 'E92000001', 'E12000003',
          'E14001263', 'E30000212', 'E06000063', 'E99999999', lsoa, 'E02002251', 'E33023580', 'E38000025', 'E63008042', 'UN1', '2B1',
        ]
          .map((v) => `"${v.replaceAll('"', '""')}"`)
          .concat(lat, long, '"E37000062"', '""', '"E23000010"', `"${imd}"`, '"E54000054"')
          .join(',');
      const csv = [
        header,
        // A newline and quotes inside one field, commas inside another: all before the columns the index reads.
        row('HX1 1RE', 'Line one\r\nline "two"', 'Town, "Centre"', 'E08000033', 'E01011080', '53.722100', '-1.856400', '4123'),
        row('HX1 2AB', '', 'Park', 'E08000033', 'E01011081', '53.724000', '-1.861000', '3800'),
        '',
      ].join('\r\n');
      const sources = {
        'NSPL21_MAY_2025_UK.csv': Buffer.from(csv),
        'nspl.csv.gz': gzipSync(csv),
        'NSPL_MAY_2025.zip': makeZip({ 'Data/NSPL21_MAY_2025_UK.csv': csv }),
      };
      for (const [name, bytes] of Object.entries(sources)) {
        const home = join(dir, name.replace(/\W/g, '-'));
        await writeFile(join(dir, name), bytes);
        const { meta } = await importDirectory(join(dir, name), { home });
        expect(meta, name).toMatchObject({ count: 2, skipped: 0, withoutCouncil: 0, lsoaColumn: 'lsoa21', places: [{ council: 'E08000033', region: 'E12000003', country: 'E92000001' }] });
        const nspl = loadDirectory(home)!;
        expect(nspl.entry(nspl.indexOf('HX11RE')), name).toMatchObject({ council: 'E08000033', lsoa: 'E01011080', lat: 53.7221, long: -1.8564, imdRank: 4123 });
        expect(nspl.entry(nspl.indexOf('HX12AB')), name).toMatchObject({ council: 'E08000033', lsoa: 'E01011081', lat: 53.724, long: -1.861, imdRank: 3800 });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not the postcode directory, naming what is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'local-impact-bad-'));
    try {
      const csv = join(dir, 'payments.csv');
      await writeFile(csv, 'Date,Supplier,Amount\n01/04/2024,Acme,10.00\n');
      await expect(importDirectory(csv, { home: dir })).rejects.toThrow('payments.csv is not the ONS postcode directory: it has no pcds or laua column.');
      expect(loadDirectory(dir)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});


function sheetText(ws: ExcelJS.Worksheet): string {
  const out: string[] = [];
  ws.eachRow((row) => row.eachCell((cell) => void out.push(cell.text)));
  return out.join('\n');
}

/** The UsageError `fn` throws; fails the test when it throws nothing or something else. */
function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError, but nothing was thrown');
}

function postcodeAt(directory: PostcodeDirectory, row: number): string {
  return directory.entry(row).postcode;
}

/** A zip of deflated entries, as the ONS publishes the NSPL. */
function makeZip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const packed = deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const header = (size: number, signature: number, at: number) => {
      const b = Buffer.alloc(size);
      b.writeUInt32LE(signature, 0);
      b.writeUInt16LE(8, at); // deflate
      b.writeUInt32LE(crc32(data), at + 6);
      b.writeUInt32LE(packed.length, at + 10);
      b.writeUInt32LE(data.length, at + 14);
      b.writeUInt16LE(nameBytes.length, at + 18);
      return b;
    };
    const local = header(30, 0x04034b50, 8);
    local.writeUInt16LE(20, 4);
    const central = header(46, 0x02014b50, 10);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
