// local-impact benchmark: the tool's `run` command against DuckDB on the same
// synthetic council "spend over £500" CSV files, at several sizes.
//
//   npm run bench                       # 250k, 500k, 1M rows, 5 reps each
//   BENCH_ROWS=100000 BENCH_REPS=3 npm run bench
//
// See bench/README.md for what is measured and how to read the output.
// This is a report, not a test: it exits 0 even when the performance bars are
// missed. It exits 1 if the tool's results disagree with DuckDB's, and 2 if
// the tool (or DuckDB) cannot be run at all.

import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const BIN = path.resolve(process.env.BENCH_BIN || path.join(ROOT, 'bin', 'local-impact.js'));
const PRELOAD = path.join(HERE, 'peak-rss.mjs');
const PEER = path.join(HERE, 'duck-peer.mjs');
const WORK = path.join(os.tmpdir(), 'local-impact-bench');

// Bump when the generator's output changes, so cached files are regenerated.
const GEN_VERSION = 3;

const AREA = 'HX';
const BARS = { ratio: 4, peakBytes: 300e6, flat: 1.25, atRows: 1_000_000, flatBaseRows: 250_000 };

// ---------------------------------------------------------------------------
// configuration
// ---------------------------------------------------------------------------

function intList(name, fallback) {
  const raw = process.env[name];
  if (!raw) return fallback;
  const list = raw.split(',').map((s) => s.trim().replace(/_/g, '')).filter(Boolean).map(Number);
  if (!list.length || list.some((n) => !Number.isInteger(n) || n <= 0)) {
    fail(2, `${name} must be a comma-separated list of positive integers, got ${JSON.stringify(raw)}`);
  }
  return list;
}

function flag(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(raw.toLowerCase());
}

function fail(code, message) {
  console.error(`\nbench: ${message}`);
  process.exit(code);
}

// BENCH_SIZE=small runs every part at a fraction of its size, to check the benchmark works on a busy machine.
const SMALL = process.env.BENCH_SIZE === 'small';
const SIZES = [...new Set(intList('BENCH_ROWS', SMALL ? [100_000, 250_000] : [250_000, 1_000_000, 10_000_000]))].sort((a, b) => a - b);
const REPS = intList('BENCH_REPS', [SMALL ? 2 : 5])[0];
// Each size on one core (both sides pinned to CPU 0 with taskset, DuckDB with threads=1) and on all of them.
const CORE_MODES = (process.env.BENCH_CORES || '1,all').split(',').map((m) => m.trim()).filter(Boolean);
// batch: organisations of a few thousand payments each, `batch` against one `run` after another.
const BATCH = flag('BENCH_BATCH', true);
const BATCH_ORGS = intList('BENCH_BATCH_ORGS', [SMALL ? 12 : 100])[0];
const BATCH_ROWS = intList('BENCH_BATCH_ROWS', [SMALL ? 2_000 : 5_000])[0];
// scale: every English council's year, ~20M payments as ~300 organisations (opt-in: BENCH_SCALE=1).
const SCALE = flag('BENCH_SCALE', SMALL);
const SCALE_ROWS = intList('BENCH_SCALE_ROWS', [SMALL ? 1_000_000 : 20_000_000])[0];
const SCALE_ORGS = intList('BENCH_SCALE_ORGS', [SMALL ? 20 : 300])[0];
const WARMUP = flag('BENCH_WARMUP', true);
const SKIP_TOOL = flag('BENCH_SKIP_TOOL', false);
const TOOL_TIMEOUT_MS = intList('BENCH_TIMEOUT_S', [600])[0] * 1000;

// The geography part: import the full postcode directory into a temporary LOCAL_IMPACT_HOME, then run
// the largest file with a council as the area. Skipped (with a note) when the shared file is absent.
const NSPL = path.resolve(process.env.BENCH_NSPL || path.join(ROOT, '..', 'shared', 'data', 'uk-geo', 'nspl_style_gb.csv.gz'));
const LAD_NAMES = path.join(path.dirname(NSPL), 'lad.csv');
const GEO = flag('BENCH_GEO', true);
const GEO_AREA = 'Calderdale';
const GEO_BARS = { importSeconds: 60, importPeakBytes: 1e9, indexBytes: 40e6 };

// ---------------------------------------------------------------------------
// deterministic synthetic data
// ---------------------------------------------------------------------------

function mulberry32(seed) {
  let a = seed >>> 0;
  return function rand() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rand, list) => list[Math.floor(rand() * list.length)];

const BODY = 'Calderdale MBC';

const SERVICE_AREAS = [
  'Adults', 'Children', 'Public Health', 'Regeneration', 'Highways',
  'Waste Services', 'Housing', 'Corporate', 'Finance', 'Customer Services',
  'Culture & Leisure', 'Education', 'Planning', 'Legal',
];

const EXPENSE_TYPES = [
  'Agency Staff', 'Building Repairs', 'Consultancy', 'Professional Fees',
  'IT Software', 'IT Hardware', 'Catering', 'Cleaning', 'Grounds Maint',
  'Vehicle Hire', 'Fuel', 'Electricity', 'Gas', 'Water', 'Rents',
  'Printing', 'Stationery', 'Postage', 'Training', 'Equipment',
  'Home Care', 'Residential Care', 'Foster Care', 'Transport',
  'Grants', 'Legal Fees', 'Insurance', 'Security', 'Furniture',
  'Waste Disposal', 'Road Materials', 'Street Lighting', 'Subscriptions',
];

const NAME_A = [
  'Acme', 'Pennine', 'Calder', 'Halifax', 'Yorkshire', 'Northern', 'Brighouse',
  'Todmorden', 'Hebden', 'Elland', 'Sowerby', 'Ryburn', 'Shibden', 'Dean Clough',
  'Bankfield', 'Moorside', 'Summit', 'Beacon', 'Priory', 'Oak', 'Ash', 'Willow',
  'Red Rose', 'White Rose', 'Crown', 'Victoria', 'Albion', 'Mercury', 'Phoenix',
  'Atlas', 'Apex', 'Vertex', 'Keystone', 'Cornerstone', 'Meridian', 'Horizon',
  'Bright', 'Green', 'Blue Sky', 'Swift', 'Clear', 'Prime', 'Smart', 'Total',
  'United', 'Allied', 'Premier', 'Central', 'Metro', 'City', 'County', 'Dales',
  'Moor', 'Valley', 'Ridge', 'Bridge', 'Mill', 'Canal', 'Castle', 'Abbey',
  'Smith', 'Jones', 'Taylor', 'Brown', 'Wilson', 'Walker', 'Wood', 'Hall',
  'Thompson', 'Wright', 'Hughes', 'Green', 'Clarke', 'Mitchell', 'Sutcliffe',
  'Greenwood', 'Crossley', 'Haigh', 'Ackroyd', 'Holroyd', 'Barker', 'Bentley',
  'Booth', 'Bottomley', 'Dyson', 'Firth', 'Gledhill', 'Helliwell', 'Hirst',
  'Jagger', 'Lumb', 'Marsden', 'Pickles', 'Ramsden', 'Shaw', 'Stansfield',
  'Wadsworth', 'Whiteley', 'Aire', 'Wharfe', 'Colne', 'Holme', 'Ovenden',
  'Illingworth', 'Warley', 'Luddenden', 'Mytholm', 'Stainland', 'Ripponden',
  'Northowram', 'Southowram', 'Siddal', 'Skircoat', 'Savile', 'Wainhouse',
  'Piece Hall', 'Copley', 'Greetland', 'Rastrick', 'Hipperholme', 'Lightcliffe',
  'Stoodley', 'Heptonstall', 'Cragg Vale', 'Mixenden', 'Boothtown', 'Pellon',
  'Kingston', 'Sterling', 'Regent', 'Empire', 'Heritage', 'Pioneer', 'Sovereign',
  'Elite', 'Express', 'Rapid', 'Quality', 'Select', 'Advance', 'Dynamic',
];

const NAME_B = [
  'Widgets', 'Construction', 'Building Services', 'Cleaning', 'Care',
  'Home Care', 'Catering', 'Consulting', 'Solutions', 'Systems', 'IT',
  'Software', 'Electrical', 'Plumbing', 'Roofing', 'Joinery', 'Landscapes',
  'Transport', 'Travel', 'Coaches', 'Taxis', 'Fuels', 'Energy', 'Print',
  'Office Supplies', 'Furniture', 'Security', 'Fire Safety', 'Training',
  'Recruitment', 'Staffing', 'Legal', 'Surveyors', 'Architects', 'Engineering',
  'Civils', 'Surfacing', 'Plant Hire', 'Waste', 'Recycling', 'Foods',
  'Supplies', 'Services', 'Group', 'Partners', 'Associates', 'Trading',
  'Healthcare', 'Nursing', 'Foster Care', 'Learning', 'Play', 'Sports',
  'Leisure', 'Lighting', 'Signs', 'Scaffolding', 'Glazing', 'Decorators',
];

const NAME_C = ['Ltd', 'Ltd', 'Ltd', 'Limited', 'Limited', 'LLP', 'plc', 'CIC', '& Co', 'UK Ltd', 'Trust'];

// ~200 postcodes, 40 of them in HX. Inward codes avoid C, I, K, M, O, V.
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
function makePostcodes() {
  const rand = mulberry32(20240401);
  const inward = () =>
    `${Math.floor(rand() * 10)}${pick(rand, INWARD_LETTERS)}${pick(rand, INWARD_LETTERS)}`;
  const hxDistricts = ['HX1', 'HX1', 'HX2', 'HX3', 'HX3', 'HX4', 'HX5', 'HX6', 'HX7'];
  const other = [
    'LS1', 'LS2', 'LS6', 'LS9', 'LS10', 'LS11', 'LS12', 'LS28', 'BD1', 'BD3',
    'BD4', 'BD5', 'BD7', 'BD12', 'BD19', 'HD1', 'HD2', 'HD3', 'HD6', 'HD8',
    'OL1', 'OL9', 'OL11', 'OL14', 'WF1', 'WF2', 'WF10', 'WF13', 'WF17',
    'M1', 'M2', 'M3', 'M4', 'M16', 'M50', 'S1', 'S3', 'S9', 'YO1', 'YO10',
    'L1', 'L3', 'B1', 'B2', 'B4', 'NG1', 'LE1', 'DN4', 'HU1', 'NE1', 'PR1',
    'BB1', 'BL1', 'WA1', 'CH1', 'ST4', 'DE1', 'CV1', 'MK9', 'RG1', 'OX1',
    'CB1', 'BS1', 'GL1', 'CF10', 'EH1', 'G2', 'EC1A', 'EC2M', 'SW1A',
    'SE1', 'N1', 'E14', 'W1T', 'WC2N', 'NW1', 'TW18', 'SL1', 'GU1', 'BN1',
  ];
  const seen = new Set();
  const hx = [];
  const rest = [];
  while (hx.length < 40) {
    const pc = `${pick(rand, hxDistricts)} ${inward()}`;
    if (!seen.has(pc)) { seen.add(pc); hx.push(pc); }
  }
  while (rest.length < 160) {
    const pc = `${pick(rand, other)} ${inward()}`;
    if (!seen.has(pc)) { seen.add(pc); rest.push(pc); }
  }
  return { hx, rest };
}

// Two spellings that the tool (or any sensible tool) would group as one
// supplier must not get different postcodes, or a per-row and a per-supplier
// notion of "local" would disagree. So names are kept unique under a key that
// ignores case, punctuation, a leading "The" and the legal form entirely
// (stricter than grouping Ltd/Limited, &/and).
function supplierKey(name) {
  return name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^the /, '')
    .replace(/( (uk|and co|co|ltd|limited|llp|plc|cic|trust|company|public limited company))+$/, '');
}

function csvField(s) {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// 5,000 suppliers, each with a fixed postcode. Supplier i's postcode class is
// chosen from a low-discrepancy sequence so the row-weighted shares land close
// to the targets (~35% HX, ~5% blank, ~60% elsewhere) despite skewed
// popularity. A few names contain commas or quotes; a few postcodes are
// written in lower case or without the space, as real files sometimes are.
function makeSuppliers() {
  const rand = mulberry32(5000);
  const { hx, rest } = makePostcodes();
  const names = new Set();
  const suppliers = [];
  let guard = 0;
  while (suppliers.length < 5000) {
    if (++guard > 1e6) throw new Error('supplier generator stuck');
    let name;
    const r = rand();
    if (r < 0.01) {
      name = `${pick(rand, NAME_A)}, ${pick(rand, NAME_A)} & Partners ${pick(rand, ['LLP', 'Ltd'])}`;
    } else if (r < 0.012) {
      name = `The "${pick(rand, NAME_A)}" ${pick(rand, NAME_B)} ${pick(rand, NAME_C)}`;
    } else {
      name = `${pick(rand, NAME_A)} ${pick(rand, NAME_B)} ${pick(rand, NAME_C)}`;
    }
    const key = supplierKey(name);
    if (names.has(key)) continue;
    names.add(key);
    const u = (suppliers.length * 0.6180339887498949 + 0.5) % 1;
    let postcode = '';
    let local = false;
    if (u < 0.35) { postcode = pick(rand, hx); local = true; }
    else if (u < 0.95) postcode = pick(rand, rest);
    if (postcode) {
      const v = rand();
      if (v < 0.02) postcode = postcode.replace(' ', '');
      else if (v < 0.03) postcode = postcode.toLowerCase();
    }
    suppliers.push({ field: csvField(name), postcode, local });
  }
  return suppliers;
}

const HEADER =
  'Body Name,Service Area,Expenses Type,Payment Date,Transaction Number,Net Amount,Supplier Name,Supplier Postcode';

// FY 2024-25: 1 April 2024 .. 31 March 2025 (365 days).
function fyDates() {
  const out = [];
  const d = new Date(Date.UTC(2024, 3, 1));
  while (d < Date.UTC(2025, 3, 1)) {
    const dd = String(d.getUTCDate()).padStart(2, '0');
    const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
    out.push(`${dd}/${mm}/${d.getUTCFullYear()}`);
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

function formatAmount(pence, rand) {
  const neg = pence < 0;
  const abs = neg ? -pence : pence;
  const pounds = Math.floor(abs / 100);
  const frac = String(abs % 100).padStart(2, '0');
  if (pounds >= 1000 && rand() < 0.4) {
    const grouped = String(pounds).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return `"${neg ? '-' : ''}${grouped}.${frac}"`;
  }
  return `${neg ? '-' : ''}${pounds}.${frac}`;
}

async function generate(rows, file) {
  const rand = mulberry32(0x5eed ^ rows);
  const suppliers = makeSuppliers();
  const dates = fyDates();
  const tmp = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(tmp, { highWaterMark: 4 << 20 });
  let streamError = null;
  out.on('error', (e) => { streamError = e; });
  const write = (s) =>
    new Promise((resolve, reject) => {
      if (streamError) reject(streamError);
      else if (out.write(s)) resolve();
      else out.once('drain', resolve);
    });
  let totalPence = 0n;
  let localPence = 0n;
  let txn = 3_100_000;
  const CHUNK = 20_000;
  await write(`${HEADER}\r\n`);
  for (let start = 0; start < rows; start += CHUNK) {
    const end = Math.min(rows, start + CHUNK);
    const lines = new Array(end - start);
    let chunkTotal = 0;
    let chunkLocal = 0;
    for (let i = start; i < end; i++) {
      const s = suppliers[Math.floor(suppliers.length * rand() ** 2.2)];
      // Log-uniform-ish amounts from £500 up to ~£250k, weighted to the low end.
      let pence = Math.round(50_000 * Math.exp(rand() ** 1.8 * Math.log(500)));
      if (rand() < 0.03) pence = -Math.max(1, Math.round(pence * (0.05 + rand() * 0.95)));
      chunkTotal += pence;
      if (s.local) chunkLocal += pence;
      txn += 1 + Math.floor(rand() * 3);
      lines[i - start] =
        `${BODY},${pick(rand, SERVICE_AREAS)},${pick(rand, EXPENSE_TYPES)},${pick(rand, dates)},${txn},` +
        `${formatAmount(pence, rand)},${s.field},${s.postcode}`;
    }
    // Per-chunk sums stay far below 2^53 pence, so the Number sums are exact.
    totalPence += BigInt(chunkTotal);
    localPence += BigInt(chunkLocal);
    await write(`${lines.join('\r\n')}\r\n`);
  }
  await new Promise((resolve, reject) => out.end((err) => (err || streamError ? reject(err ?? streamError) : resolve())));
  renameSync(tmp, file);
  const meta = { rows, bytes: statSync(file).size, totalPence: String(totalPence), localPence: String(localPence), genVersion: GEN_VERSION };
  writeFileSync(`${file}.json`, JSON.stringify(meta, null, 2));
  return meta;
}

async function dataset(rows) {
  const file = path.join(WORK, `spend-${rows}-v${GEN_VERSION}.csv`);
  if (existsSync(file) && existsSync(`${file}.json`)) {
    const meta = JSON.parse(readFileSync(`${file}.json`, 'utf8'));
    if (meta.rows === rows && meta.bytes === statSync(file).size) return { file, meta, cached: true };
  }
  const t0 = performance.now();
  const meta = await generate(rows, file);
  return { file, meta, cached: false, seconds: (performance.now() - t0) / 1000 };
}

// ---------------------------------------------------------------------------
// the tool
// ---------------------------------------------------------------------------

// Runs `node bin/local-impact.js <toolArgs>` with the peak-RSS preload; rejects with a ToolError when it fails.
function spawnTool(toolArgs, env = {}, { pin = false } = {}) {
  const rssFile = path.join(WORK, `rss-${process.pid}.txt`);
  rmSync(rssFile, { force: true });
  const args = ['--import', pathToFileURL(PRELOAD).href, BIN, ...toolArgs];
  const [program, programArgs] = pinned(pin, args);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(program, programArgs, {
      cwd: ROOT,
      env: { ...process.env, ...env, LOCAL_IMPACT_BENCH_RSS_FILE: rssFile, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), TOOL_TIMEOUT_MS);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - t0) / 1000;
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      const command = `node ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`;
      if (code !== 0) {
        const why = signal ? `was killed by ${signal}${signal === 'SIGKILL' ? ` (timeout ${TOOL_TIMEOUT_MS / 1000}s?)` : ''}` : `exited with code ${code}`;
        reject(new ToolError(`the tool ${why}`, command, stdout, stderr));
        return;
      }
      let peakBytes = null;
      try {
        peakBytes = Number(readFileSync(rssFile, 'utf8').trim()) * 1024;
      } catch {
        // reported as n/a
      }
      rmSync(rssFile, { force: true });
      resolve({ seconds, stdout, stderr, command, peakBytes });
    });
  });
}

// `run` on a spend file; `env` carries LOCAL_IMPACT_HOME for a run whose area needs the postcode directory.
async function runTool(file, { area = AREA, env = {}, pin = false } = {}) {
  const outFile = path.join(WORK, 'bench-report.xlsx');
  const r = await spawnTool(['run', '--spend', file, '--area', area, '--json', '--quiet', '--force', '--out', outFile], env, { pin });
  let json;
  try {
    json = parseJson(r.stdout);
  } catch (e) {
    throw new ToolError(`could not parse the tool's --json output (${e.message})`, r.command, r.stdout, r.stderr);
  }
  const total = json?.spend?.total;
  const localShare = json?.spend?.localShare;
  if (typeof total !== 'number' || !Number.isFinite(total) || typeof localShare !== 'number' || !Number.isFinite(localShare)) {
    throw new ToolError(
      `the tool's JSON has no numeric spend.total / spend.localShare (got total=${JSON.stringify(total)}, localShare=${JSON.stringify(localShare)})`,
      r.command, r.stdout, r.stderr);
  }
  return { seconds: r.seconds, total, localShare, unknownShare: json.spend.unknownShare, suppliers: json.spend.suppliers, top10Share: json.spend.top10Share, peakBytes: r.peakBytes };
}

class ToolError extends Error {
  constructor(message, command, stdout, stderr) {
    super(message);
    this.command = command;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

function parseJson(stdout) {
  const text = stdout.trim();
  try {
    return JSON.parse(text);
  } catch (first) {
    // Tolerate stray lines around the JSON document.
    const a = text.indexOf('{');
    const b = text.lastIndexOf('}');
    if (a >= 0 && b > a) return JSON.parse(text.slice(a, b + 1));
    throw first;
  }
}

function tail(text, max = 4000) {
  const t = text.trimEnd();
  return t.length > max ? `…${t.slice(-max)}` : t || '(empty)';
}

function reportToolError(e) {
  console.error(`\nbench: ${e.message}`);
  if (e instanceof ToolError) {
    console.error(`  command: ${e.command}`);
    console.error(`  --- stderr ---\n${tail(e.stderr)}`);
    console.error(`  --- stdout ---\n${tail(e.stdout, 1500)}`);
  }
}

// ---------------------------------------------------------------------------
// DuckDB
// ---------------------------------------------------------------------------

let duck;
async function loadDuckDB() {
  try {
    duck = await import('@duckdb/node-api');
  } catch (e) {
    fail(2, `cannot load @duckdb/node-api (a devDependency; run npm install): ${e.message}`);
  }
}

const sqlString = (s) => `'${s.replace(/'/g, "''")}'`;

function duckSql(file) {
  return `
WITH t AS (
  SELECT CAST(replace("Net Amount", ',', '') AS DECIMAL(18,2)) AS amount,
         regexp_extract(upper(trim("Supplier Postcode")), '^([A-Z]{1,2})[0-9]', 1) = '${AREA}' AS is_local
  FROM read_csv(${sqlString(file)}, all_varchar = true, header = true, delim = ',', quote = '"')
)
SELECT CAST(sum(amount) * 100 AS HUGEINT)::VARCHAR AS total_pence,
       CAST(coalesce(sum(amount) FILTER (WHERE is_local), 0) * 100 AS HUGEINT)::VARCHAR AS local_pence,
       count(*)::VARCHAR AS n
FROM t`;
}

// One core: the command runs under `taskset -c 0` (Linux), so both sides get the same single CPU.
const HAVE_TASKSET = (() => {
  try {
    return spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  } catch {
    return false;
  }
})();
function pinned(pin, args) {
  return pin ? ['taskset', ['-c', '0', process.execPath, ...args]] : [process.execPath, args];
}

// The peer as a user would run it: its own process (bench/duck-peer.mjs), timed from spawn to exit, so loading
// @duckdb/node-api counts as the tool's start-up does; the same work as the tool's figures checked below.
async function runDuck(file, { pin = false } = {}) {
  const [program, args] = pinned(pin, [PEER, file, AREA, ...(pin ? ['1'] : [])]);
  const t0 = performance.now();
  const child = spawnSync(program, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  if (child.status !== 0) fail(2, `the DuckDB peer failed: ${tail(child.stderr ?? '')}`);
  const row = JSON.parse(child.stdout);
  const totalPence = BigInt(row.total_pence);
  const localPence = BigInt(row.local_pence);
  return {
    seconds,
    loadSeconds: row.load_s,
    totalPence,
    localPence,
    rows: Number(row.rows),
    suppliers: Number(row.suppliers),
    top10Share: Number(BigInt(row.top10_pence)) / Number(totalPence),
    localShare: share(localPence, totalPence),
  };
}

async function duckInfo() {
  const instance = await duck.DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const [row] = (await conn.runAndReadAll(
    "SELECT version() AS v, current_setting('threads')::VARCHAR AS threads")).getRowObjectsJS();
  conn.closeSync();
  instance.closeSync();
  return row;
}

// Untimed, only after a mismatch: alternative definitions of the share, to
// help see which one the tool used.
async function duckDiagnostics(file) {
  const instance = await duck.DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const sql = `
WITH t AS (
  SELECT CAST(replace("Net Amount", ',', '') AS DECIMAL(18,2)) AS amount,
         nullif(trim("Supplier Postcode"), '') AS pc,
         regexp_extract(upper(trim("Supplier Postcode")), '^([A-Z]{1,2})[0-9]', 1) = '${AREA}' AS is_local
  FROM read_csv(${sqlString(file)}, all_varchar = true, header = true, delim = ',', quote = '"')
)
SELECT
  (sum(amount) FILTER (WHERE amount > 0))::VARCHAR AS total_positive_only,
  (sum(amount) FILTER (WHERE amount < 0))::VARCHAR AS total_negative_only,
  (sum(amount) FILTER (WHERE pc IS NULL))::VARCHAR AS total_blank_postcode,
  (sum(amount) FILTER (WHERE is_local))::VARCHAR AS local_total,
  (sum(amount) FILTER (WHERE is_local) / sum(amount) FILTER (WHERE pc IS NOT NULL))::DOUBLE AS share_excl_blank_postcodes,
  (sum(amount) FILTER (WHERE is_local AND amount > 0) / sum(amount) FILTER (WHERE amount > 0))::DOUBLE AS share_positive_only,
  (count(*) FILTER (WHERE is_local) / count(*))::DOUBLE AS share_by_row_count
FROM t`;
  const [row] = (await conn.runAndReadAll(sql)).getRowObjectsJS();
  conn.closeSync();
  instance.closeSync();
  return row;
}

// ---------------------------------------------------------------------------
// statistics and output
// ---------------------------------------------------------------------------

function share(local, total) {
  return total === 0n ? 0 : Number(local) / Number(total);
}

function stats(values) {
  const v = values.filter((x) => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], n: v.length };
}

const mb = (bytes) => bytes / 1e6;
const fmtS = (s) => (s ? `${s.median.toFixed(2)} (${s.min.toFixed(2)}–${s.max.toFixed(2)})` : 'n/a');
const fmtMB = (s) => (s ? `${mb(s.median).toFixed(0)} (max ${mb(s.max).toFixed(0)})` : 'n/a');
const pounds = (pence) => {
  const neg = pence < 0n;
  const a = neg ? -pence : pence;
  const p = String(a / 100n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}£${p}.${String(a % 100n).padStart(2, '0')}`;
};

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

// Highest 1-minute load average seen between runs. The bench itself keeps
// up to all cores busy (DuckDB uses every core), so well above that means other work is running.
let maxLoad = 0;
function loadLine() {
  const l = os.loadavg();
  return l.map((x) => x.toFixed(2)).join(' / ') + ' (1 / 5 / 15 min)';
}
function sampleLoad() {
  maxLoad = Math.max(maxLoad, os.loadavg()[0]);
}

function banner(lines) {
  const bar = '!'.repeat(78);
  return [bar, ...lines.map((l) => `!! ${l}`), bar].join('\n');
}

// ---------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------

async function main() {
  mkdirSync(WORK, { recursive: true });
  await loadDuckDB();

  if (!SKIP_TOOL && !existsSync(BIN)) {
    fail(2, `${path.relative(process.cwd(), BIN) || BIN} does not exist. Build the tool first (npm run build), ` +
      'or set BENCH_SKIP_TOOL=1 to time DuckDB alone.');
  }

  const info = await duckInfo();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log('local-impact benchmark');
  console.log(`  machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}`);
  console.log(`  node ${process.version}; DuckDB ${info.v} (threads=${info.threads})`);
  console.log(`  sizes: ${SIZES.join(', ')} rows; ${REPS} timed rep(s) each${WARMUP ? ' after 1 warm-up' : ''}; area ${AREA}`);
  console.log(`  data: ${WORK}`);
  console.log(`  load average at start: ${loadLine()}`);
  if (SKIP_TOOL) console.log('  BENCH_SKIP_TOOL=1: timing DuckDB only');
  if (!globalThis.gc) console.log('  (run with node --expose-gc, as npm run bench does, to GC between DuckDB runs)');

  const results = [];
  const problems = [];
  const MODES = CORE_MODES.filter((mode) => mode !== '1' || HAVE_TASKSET);
  if (MODES.length < CORE_MODES.length) console.log('  (no taskset here: the one-core comparison is skipped)');

  for (const rows of SIZES) {
    const ds = await dataset(rows);
    console.log(`\n${rows.toLocaleString('en-GB')} rows: ${ds.file} (${mb(ds.meta.bytes).toFixed(1)} MB, ` +
      `${ds.cached ? 'cached' : `generated in ${ds.seconds.toFixed(1)} s`})`);
    const expectedTotal = BigInt(ds.meta.totalPence);
    const expectedLocal = BigInt(ds.meta.localPence);

    for (const cores of MODES) {
    const pin = cores === '1';
    console.log(`  ${pin ? 'one core (taskset -c 0; DuckDB threads=1)' : `all ${os.cpus().length} cores`}`);
    const tool = [];
    const duckRuns = [];
    const doTool = async (label) => {
      sampleLoad();
      try {
        const r = await runTool(ds.file, { pin });
        console.log(`  ${label} tool    ${r.seconds.toFixed(2)} s, peak RSS ${r.peakBytes === null ? 'n/a' : `${mb(r.peakBytes).toFixed(0)} MB`}`);
        return r;
      } catch (e) {
        reportToolError(e);
        process.exit(2);
      }
    };
    const doDuck = async (label) => {
      sampleLoad();
      const r = await runDuck(ds.file, { pin });
      console.log(`  ${label} duckdb  ${r.seconds.toFixed(2)} s (of which loading @duckdb/node-api ${r.loadSeconds.toFixed(2)} s)`);
      return r;
    };

    if (WARMUP) {
      if (!SKIP_TOOL) tool.warm = await doTool('warm-up');
      duckRuns.warm = await doDuck('warm-up');
    }
    for (let i = 0; i < REPS; i++) {
      const label = `rep ${i + 1}/${REPS}`;
      // Alternate which goes first so drift and noise hit both sides.
      if (i % 2 === 0) {
        if (!SKIP_TOOL) tool.push(await doTool(label));
        duckRuns.push(await doDuck(label));
      } else {
        duckRuns.push(await doDuck(label));
        if (!SKIP_TOOL) tool.push(await doTool(label));
      }
    }

    // ---- correctness -----------------------------------------------------
    const d = duckRuns[0];
    const mismatch = [];
    if (d.rows !== rows) mismatch.push(`DuckDB read ${d.rows} rows, expected ${rows}`);
    if (d.totalPence !== expectedTotal || d.localPence !== expectedLocal) {
      mismatch.push(`DuckDB disagrees with the generator: total ${pounds(d.totalPence)} vs ${pounds(expectedTotal)}, ` +
        `local ${pounds(d.localPence)} vs ${pounds(expectedLocal)} (bench bug?)`);
    }
    const expectedShare = share(expectedLocal, expectedTotal);
    const toolAll = [...(tool.warm ? [tool.warm] : []), ...tool];
    for (const [k, t] of toolAll.entries()) {
      const toolPence = BigInt(Math.round(t.total * 100));
      if (toolPence !== d.totalPence) {
        mismatch.push(`run ${k + 1}: tool total ${pounds(toolPence)} (raw ${t.total}) ≠ DuckDB ${pounds(d.totalPence)} ` +
          `(difference ${pounds(toolPence - d.totalPence)})`);
      }
      if (t.suppliers !== d.suppliers) mismatch.push(`run ${k + 1}: tool suppliers ${t.suppliers} ≠ DuckDB's normalised names ${d.suppliers}`);
      if (!(Math.abs(t.top10Share - d.top10Share) <= 1e-9)) mismatch.push(`run ${k + 1}: tool top10Share ${t.top10Share} ≠ DuckDB ${d.top10Share}`);
      if (!(Math.abs(t.localShare - d.localShare) <= 1e-9)) {
        mismatch.push(`run ${k + 1}: tool localShare ${t.localShare} ≠ DuckDB ${d.localShare} ` +
          `(difference ${(t.localShare - d.localShare).toExponential(3)})`);
      }
    }
    if (mismatch.length) {
      const unique = [...new Set(mismatch.map((m) => m.replace(/^run \d+: /, '')))];
      const lines = [`RESULT MISMATCH at ${rows.toLocaleString('en-GB')} rows (${ds.file})`, ...unique];
      if (unique.some((m) => m.startsWith('tool'))) {
        try {
          const diag = await duckDiagnostics(ds.file);
          lines.push('DuckDB diagnostics (alternative definitions, to compare with the tool):');
          for (const [k, v] of Object.entries(diag)) lines.push(`  ${k}: ${v}`);
        } catch (e) {
          lines.push(`(diagnostics failed: ${e.message})`);
        }
      }
      console.error(`\n${banner(lines)}\n`);
      problems.push(...unique.map((m) => `${rows} rows: ${m}`));
    } else {
      console.log(`  results agree: total ${pounds(d.totalPence)}, local share ${(d.localShare * 100).toFixed(4)}%, ${d.suppliers} suppliers, top-10 share ${(d.top10Share * 100).toFixed(4)}%` +
        `${SKIP_TOOL ? ' (DuckDB = generator)' : ' (tool = DuckDB = generator)'}`);
    }

    results.push({
      rows,
      cores,
      bytes: ds.meta.bytes,
      total: pounds(d.totalPence),
      localShare: d.localShare,
      expectedShare,
      tool: SKIP_TOOL ? null : { seconds: stats(tool.map((t) => t.seconds)), peak: stats(tool.map((t) => t.peakBytes)) },
      duck: { seconds: stats(duckRuns.map((r) => r.seconds)) },
    });
    }
  }

  // ---- report --------------------------------------------------------------
  console.log('\nResults (seconds are wall-clock medians, (min–max) over the timed reps; peak RSS is the tool process\'s maxRSS)\n');
  console.log(table(
    ['rows', 'cores', 'file MB', 'tool s', 'DuckDB s', 'ratio', 'tool peak RSS MB'],
    results.map((r) => [
      r.rows.toLocaleString('en-GB'),
      r.cores === '1' ? '1' : String(os.cpus().length),
      mb(r.bytes).toFixed(1),
      r.tool ? fmtS(r.tool.seconds) : 'skipped',
      fmtS(r.duck.seconds),
      r.tool ? `${(r.tool.seconds.median / r.duck.seconds.median).toFixed(2)}×` : 'n/a',
      r.tool ? fmtMB(r.tool.peak) : 'n/a',
    ]),
  ));

  if (!SKIP_TOOL) {
    console.log('\nVerdict');
    const all = results.filter((r) => r.cores !== '1');
    const verdictOn = all.length > 0 ? all : results;
    const at = verdictOn.find((r) => r.rows === BARS.atRows) ?? verdictOn[verdictOn.length - 1];
    const note = at.rows === BARS.atRows ? '' : ` (no ${BARS.atRows.toLocaleString('en-GB')}-row run; using the largest size, ${at.rows.toLocaleString('en-GB')} rows)`;
    const ratio = at.tool.seconds.median / at.duck.seconds.median;
    const verdict = (ok) => (ok ? 'PASS' : 'MISS');
    console.log(`  speed:  ${verdict(ratio <= BARS.ratio)}  tool/DuckDB = ${ratio.toFixed(2)}× (bar ≤ ${BARS.ratio}×)${note}`);
    if (at.tool.peak) {
      console.log(`  memory: ${verdict(at.tool.peak.max < BARS.peakBytes)}  peak RSS ${mb(at.tool.peak.max).toFixed(0)} MB (worst rep; bar < ${mb(BARS.peakBytes)} MB)${note}`);
    } else {
      console.log('  memory: n/a   (no peak RSS recorded; did the preload run?)');
    }
    const base = verdictOn.find((r) => r.rows === BARS.flatBaseRows) ?? verdictOn[0];
    if (base !== at && base.tool.peak && at.tool.peak) {
      const growth = at.tool.peak.median / base.tool.peak.median;
      console.log(`  flat:   ${verdict(growth <= BARS.flat)}  peak at ${at.rows.toLocaleString('en-GB')} / peak at ${base.rows.toLocaleString('en-GB')} = ${growth.toFixed(2)} (medians; bar ≤ ${BARS.flat})`);
    } else {
      console.log('  flat:   n/a   (needs at least two sizes, ideally 250,000 and 1,000,000 rows)');
    }
  }

  let geo = null;
  if (!SKIP_TOOL && GEO) {
    const largest = results.filter((r) => r.cores !== '1').at(-1) ?? results.at(-1);
    geo = await benchGeo(largest, problems);
  } else if (!SKIP_TOOL) {
    console.log('\nGeography: skipped (BENCH_GEO=0)');
  }

  const batch = !SKIP_TOOL && BATCH ? await benchBatch(problems) : null;
  if (!SKIP_TOOL && !BATCH) console.log('\nBatch: skipped (BENCH_BATCH=0)');
  const scale = !SKIP_TOOL && SCALE ? await benchScale(problems) : null;
  if (!SKIP_TOOL && !SCALE) console.log('\nScale: skipped (BENCH_SCALE=1 runs it)');

  console.log(`\n  load average at end: ${loadLine()}`);
  if (maxLoad > os.cpus().length * 1.5) {
    console.log(`  note: the 1-minute load average reached ${maxLoad.toFixed(2)} on ${os.cpus().length} cores while the benchmark ran; ` +
      'other work was competing for the CPU, so treat these timings as noisy and rerun on a quiet machine.');
  }

  const resultsFile = path.join(WORK, 'last-results.json');
  writeFileSync(resultsFile, JSON.stringify({ when: new Date().toISOString(), node: process.version, duckdb: info.v, reps: REPS, results, geo, batch, scale, problems }, null, 2));
  console.log(`\n(raw results: ${resultsFile})`);

  if (problems.length) {
    console.error(`\n${banner(['RESULTS MISMATCH — see above. The timings are not comparable until this is fixed.', ...problems])}`);
    process.exit(1);
  }
}

// ---------------------------------------------------------------------------
// geography: importing the postcode directory, and a run whose area needs it
// ---------------------------------------------------------------------------

function dirBytes(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => sum + (e.isFile() ? statSync(path.join(dir, e.name)).size : 0), 0);
}

async function benchGeo(plain, problems) {
  if (!existsSync(NSPL) || !existsSync(LAD_NAMES)) {
    console.log(`\nGeography: skipped (${existsSync(NSPL) ? LAD_NAMES : NSPL} is absent; set BENCH_NSPL to the NSPL-style .csv.gz beside its lad.csv)`);
    return null;
  }
  const home = mkdtempSync(path.join(WORK, 'home-'));
  const env = { LOCAL_IMPACT_HOME: home };
  try {
    console.log(`\nGeography: ${NSPL} (${mb(statSync(NSPL).size).toFixed(1)} MB), into a temporary LOCAL_IMPACT_HOME`);
    let imported;
    try {
      sampleLoad();
      const r = await spawnTool(['geo', 'import', NSPL, '--lad-names', LAD_NAMES, '--json'], env);
      imported = { seconds: r.seconds, peakBytes: r.peakBytes, postcodes: parseJson(r.stdout).postcodes, indexBytes: dirBytes(path.join(home, 'geo')) };
    } catch (e) {
      reportToolError(e);
      process.exit(2);
    }
    console.log(`  geo import  ${imported.seconds.toFixed(2)} s, peak RSS ${imported.peakBytes === null ? 'n/a' : `${mb(imported.peakBytes).toFixed(0)} MB`}, ` +
      `${imported.postcodes.toLocaleString('en-GB')} postcodes, index ${mb(imported.indexBytes).toFixed(1)} MB on disk`);

    const ds = await dataset(plain.rows);
    const runs = [];
    const doGeo = async (label) => {
      sampleLoad();
      try {
        const r = await runTool(ds.file, { area: GEO_AREA, env });
        console.log(`  ${label} tool --area ${GEO_AREA}  ${r.seconds.toFixed(2)} s, peak RSS ${r.peakBytes === null ? 'n/a' : `${mb(r.peakBytes).toFixed(0)} MB`}`);
        return r;
      } catch (e) {
        reportToolError(e);
        process.exit(2);
      }
    };
    const warm = WARMUP ? await doGeo('warm-up') : null;
    for (let i = 0; i < REPS; i++) runs.push(await doGeo(`rep ${i + 1}/${REPS}`));
    // The area changes what is local, never the total: it must still equal DuckDB's to the penny.
    const expected = BigInt(ds.meta.totalPence);
    for (const r of [...(warm ? [warm] : []), ...runs]) {
      const pence = BigInt(Math.round(r.total * 100));
      if (pence !== expected) {
        const message = `${plain.rows} rows, --area ${GEO_AREA}: tool total ${pounds(pence)} ≠ ${pounds(expected)}`;
        console.error(`\n${banner([`RESULT MISMATCH: ${message}`])}\n`);
        problems.push(message);
        break;
      }
    }
    const seconds = stats(runs.map((r) => r.seconds));
    const peak = stats(runs.map((r) => r.peakBytes));
    const rowsLabel = plain.rows.toLocaleString('en-GB');
    console.log(`\nGeography results (${rowsLabel} rows; medians (min–max) over ${REPS} rep(s))\n`);
    console.log(table(
      ['step', 'seconds', 'peak RSS MB', 'local share', 'unknown share'],
      [
        ['geo import', imported.seconds.toFixed(2), imported.peakBytes === null ? 'n/a' : mb(imported.peakBytes).toFixed(0), '', ''],
        [`run --area ${AREA}`, fmtS(plain.tool.seconds), fmtMB(plain.tool.peak), `${(plain.localShare * 100).toFixed(2)}%`, ''],
        [`run --area ${GEO_AREA}`, fmtS(seconds), fmtMB(peak), `${(runs[0].localShare * 100).toFixed(2)}%`, `${(runs[0].unknownShare * 100).toFixed(2)}%`],
      ],
    ));
    const verdict = (ok) => (ok ? 'PASS' : 'MISS');
    const ratio = seconds.median / plain.duck.seconds.median;
    console.log('\nGeography verdict');
    console.log(`  import time:    ${verdict(imported.seconds < GEO_BARS.importSeconds)}  ${imported.seconds.toFixed(1)} s (bar < ${GEO_BARS.importSeconds} s)`);
    if (imported.peakBytes !== null) console.log(`  import memory:  ${verdict(imported.peakBytes < GEO_BARS.importPeakBytes)}  peak RSS ${mb(imported.peakBytes).toFixed(0)} MB (bar < ${mb(GEO_BARS.importPeakBytes)} MB)`);
    console.log(`  index size:     ${verdict(imported.indexBytes < GEO_BARS.indexBytes)}  ${mb(imported.indexBytes).toFixed(1)} MB on disk (bar < ${mb(GEO_BARS.indexBytes)} MB)`);
    console.log(`  geo run speed:  ${verdict(ratio <= BARS.ratio)}  tool --area ${GEO_AREA} / DuckDB = ${ratio.toFixed(2)}× at ${rowsLabel} rows ` +
      `(bar ≤ ${BARS.ratio}×; +${(seconds.median - plain.tool.seconds.median).toFixed(2)} s over --area ${AREA})`);
    if (peak) console.log(`  geo run memory: ${verdict(peak.max < BARS.peakBytes)}  peak RSS ${mb(peak.max).toFixed(0)} MB (worst rep; bar < ${mb(BARS.peakBytes)} MB)`);
    return { import: imported, run: { rows: plain.rows, area: GEO_AREA, seconds, peak, localShare: runs[0].localShare } };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exit(2);
});

// ---------------------------------------------------------------------------
// batch: many small organisations in one pool against one `run` after another
// ---------------------------------------------------------------------------

/** A manifest of `orgs` organisations, each reading `file` with area HX. */
function writeManifest(dir, orgs, file) {
  const manifest = path.join(dir, 'manifest.csv');
  const rows = Array.from({ length: orgs }, (_, i) => `Organisation ${String(i + 1).padStart(4, '0')},${file},${AREA}`);
  writeFileSync(manifest, ['organisation,spend,area', ...rows].join('\n'));
  return manifest;
}

// `batch` reads each organisation's files itself: the organisations share one generated file here, which
// changes nothing but the disk cache (every run reads it warm).
async function benchBatch(problems) {
  const ds = await dataset(BATCH_ROWS);
  const dir = mkdtempSync(path.join(WORK, 'batch-'));
  try {
    const manifest = writeManifest(dir, BATCH_ORGS, ds.file);
    console.log(`\nBatch: ${BATCH_ORGS} organisations of ${BATCH_ROWS.toLocaleString('en-GB')} payments, each with its workbook and statement`);
    // Sequential: what a consultant does today, one `run` per organisation (each writes its workbook).
    sampleLoad();
    const t0 = performance.now();
    let seqPeak = 0;
    for (let i = 0; i < BATCH_ORGS; i++) {
      const r = await spawnTool(['run', '--spend', ds.file, '--area', AREA, '--quiet', '--force', '--out', path.join(dir, `run-${i}.xlsx`), '--statement', path.join(dir, `run-${i}.html`)]);
      seqPeak = Math.max(seqPeak, r.peakBytes ?? 0);
    }
    const sequential = (performance.now() - t0) / 1000;
    console.log(`  ${BATCH_ORGS} runs one after another: ${sequential.toFixed(2)} s (peak RSS ${mb(seqPeak).toFixed(0)} MB)`);
    sampleLoad();
    const b = await spawnTool(['batch', manifest, '--inputs-root', WORK, '--out', path.join(dir, 'out'), '--force', '--quiet', '--json']);
    const json = parseJson(b.stdout);
    const jobs = Math.min(os.availableParallelism(), BATCH_ORGS);
    console.log(`  batch (--jobs ${jobs}): ${b.seconds.toFixed(2)} s (peak RSS ${b.peakBytes === null ? 'n/a' : `${mb(b.peakBytes).toFixed(0)} MB`})`);
    const failed = json.counts.failed;
    const totals = new Set(json.organisations.map((o) => o.spend?.total));
    const expected = Number(BigInt(ds.meta.totalPence)) / 100;
    if (failed > 0 || totals.size !== 1 || !totals.has(expected)) problems.push(`batch: ${failed} failed; totals ${[...totals].join(', ')} (expected ${expected})`);
    const ratio = b.seconds / sequential;
    const perRun = sequential / BATCH_ORGS;
    const perThread = (b.seconds * jobs) / BATCH_ORGS;
    console.log(`  batch / sequential = ${ratio.toFixed(2)} (bar ≤ 0.33 on 2 cores): ${ratio <= 1 / 3 ? 'PASS' : 'MISS'}`);
    console.log(`  per organisation: ${perRun.toFixed(3)} s as its own process; ${perThread.toFixed(3)} s of a pool thread; ` +
      `so ${(perRun - perThread).toFixed(3)} s of each run is start-up, loading and exit that the pool pays once per thread`);
    return { orgs: BATCH_ORGS, rows: BATCH_ROWS, jobs, sequentialSeconds: sequential, batchSeconds: b.seconds, ratio, perRun, perThread, batchPeakBytes: b.peakBytes, runPeakBytes: seqPeak };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// scale: ~20M payments as ~300 organisations, in one batch
// ---------------------------------------------------------------------------

async function benchScale(problems) {
  const perOrg = Math.ceil(SCALE_ROWS / SCALE_ORGS);
  const ds = await dataset(perOrg);
  const dir = mkdtempSync(path.join(WORK, 'scale-'));
  try {
    const manifest = writeManifest(dir, SCALE_ORGS, ds.file);
    console.log(`\nScale: ${SCALE_ORGS} organisations × ${perOrg.toLocaleString('en-GB')} payments = ${(SCALE_ORGS * perOrg).toLocaleString('en-GB')} payments (${mb(ds.meta.bytes * SCALE_ORGS).toFixed(0)} MB read)`);
    sampleLoad();
    const b = await spawnTool(['batch', manifest, '--inputs-root', WORK, '--out', path.join(dir, 'out'), '--force', '--quiet', '--json']);
    const json = parseJson(b.stdout);
    if (json.counts.failed > 0) problems.push(`scale: ${json.counts.failed} organisations failed`);
    const rowsRead = json.organisations.reduce((sum, o) => sum + (o.batch?.rowsRead ?? 0), 0);
    console.log(`  wall ${b.seconds.toFixed(1)} s (${Math.round(rowsRead / b.seconds).toLocaleString('en-GB')} payments a second), peak RSS ${b.peakBytes === null ? 'n/a' : `${mb(b.peakBytes).toFixed(0)} MB`} for the whole batch process and its ${Math.min(os.availableParallelism(), SCALE_ORGS)} worker threads`);
    return { orgs: SCALE_ORGS, perOrg, payments: rowsRead, seconds: b.seconds, peakBytes: b.peakBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
