// The benchmark's peer: DuckDB doing the tool's work on the same file, the way a user would run it — its own
// Node process, loading @duckdb/node-api (its load time counts), then one query for the total, the local total,
// the per-supplier sums over names normalised as the tool normalises them, and the top-10 suppliers' share.
//
//   node bench/duck-peer.mjs <file.csv> <area letters> [threads]
//
// Prints one JSON line: total_pence, local_pence, rows, suppliers, top10_pence, load_s, query_s.
import { performance } from 'node:perf_hooks';

const [file, area, threads] = process.argv.slice(2);
const t0 = performance.now();
const duck = await import('@duckdb/node-api');
const loaded = performance.now();
const instance = await duck.DuckDBInstance.create(':memory:', threads ? { threads: String(threads) } : undefined);
const conn = await instance.connect();
const quote = (s) => `'${s.replace(/'/g, "''")}'`;
// normaliseSupplierName (src/domain/supplier.ts) in SQL: lower case, & → and, apostrophes and dots joined up, any
// other run of non-letters and non-digits a space, trimmed, a leading "the " dropped, ltd → limited.
const normalised = `
  regexp_replace(
    regexp_replace(
      trim(regexp_replace(regexp_replace(replace(lower("Supplier Name"), '&', ' and '), '[''\u2019.]', '', 'g'), '[^\\p{L}\\p{N}]+', ' ', 'g')),
      '^the ', ''),
    '\\bltd\\b', 'limited', 'g')`;
const sql = `
WITH t AS (
  SELECT CAST(replace("Net Amount", ',', '') AS DECIMAL(18,2)) AS amount,
         regexp_extract(upper(trim("Supplier Postcode")), '^([A-Z]{1,2})[0-9]', 1) = ${quote(area)} AS is_local,
         ${normalised} AS supplier
  FROM read_csv(${quote(file)}, all_varchar = true, header = true, delim = ',', quote = '"')
),
by_supplier AS (SELECT supplier, sum(amount) AS amount FROM t GROUP BY supplier),
top10 AS (SELECT amount FROM by_supplier ORDER BY amount DESC LIMIT 10)
SELECT CAST(sum(amount) * 100 AS HUGEINT)::VARCHAR AS total_pence,
       CAST(coalesce(sum(amount) FILTER (WHERE is_local), 0) * 100 AS HUGEINT)::VARCHAR AS local_pence,
       count(*)::VARCHAR AS rows,
       (SELECT count(*) FROM by_supplier)::VARCHAR AS suppliers,
       (SELECT CAST(sum(amount) * 100 AS HUGEINT) FROM top10)::VARCHAR AS top10_pence
FROM t`;
const [row] = (await conn.runAndReadAll(sql)).getRowObjectsJS();
conn.closeSync();
instance.closeSync();
const done = performance.now();
process.stdout.write(`${JSON.stringify({ ...row, load_s: (loaded - t0) / 1000, query_s: (done - loaded) / 1000 })}\n`);
