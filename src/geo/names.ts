import { tokenizeText } from '../csv/stream.js';
import { InputError } from '../errors.js';

/** A local authority district (council) code with its names, and its successor when abolished. */
export interface CouncilName {
  code: string;
  name: string;
  /** Council and alternative names: `Calderdale Metropolitan Borough Council`. */
  otherNames: string[];
  /** The current code for an abolished council (Harrogate E07000165 → North Yorkshire E06000065). */
  successor?: string;
  county?: string;
}

/**
 * Reads a code → name table: the ONS `LAD..CD`/`LAD..NM` names file (as in the NSPL zip's Documents),
 * or `lad_code`/`lad_name` with optional `other_names` (`|`-separated), `current_lad_code`, `county_name`.
 */
export function readCouncilNames(text: string, file: string): CouncilName[] {
  const { rows, find } = readReferenceCsv(text);
  const code = find(/^(lad_code|lad\d{2}cd|lau?d?\d*cd|ltla\d{2}cd)$/);
  const name = find(/^(lad_name|lad\d{2}nm|ltla\d{2}nm)$/);
  if (code < 0 || name < 0) {
    throw new InputError(`${file} has no council code and name columns.`, {
      file,
      hint: 'Give the ONS names file (columns LAD24CD, LAD24NM) or a table with lad_code and lad_name.',
    });
  }
  const other = find(/^other_names$/);
  const successor = find(/^current_lad_code$/);
  const county = find(/^county_name$/);
  const councils: CouncilName[] = [];
  for (const row of rows.slice(1)) {
    const cell = (i: number) => (i < 0 ? '' : (row[i] ?? '').trim());
    if (cell(code) === '') continue;
    const council: CouncilName = {
      code: cell(code),
      name: cell(name),
      otherNames: cell(other).split('|').map((s) => s.trim()).filter((s) => s !== ''),
    };
    if (cell(successor) !== '' && cell(successor) !== council.code) council.successor = cell(successor);
    if (cell(county) !== '') council.county = cell(county);
    councils.push(council);
  }
  return councils;
}

const GENERIC = new Set([
  'council', 'metropolitan', 'borough', 'district', 'city', 'county', 'of', 'the', 'mbc', 'bc', 'dc', 'cc',
  'royal', 'london', 'unitary', 'authority', 'corporation', 'cyngor', 'sir', 'bwrdeistref', 'sirol', 'comhairle',
]);

/** A name as compared: lower case, `&` as `and`, punctuation as spaces. */
export function nameKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The name without the words every council has (`Calderdale Council` → `calderdale`). */
export function shortNameKey(name: string): string {
  const words = nameKey(name).split(' ').filter((w) => w !== '' && !GENERIC.has(w));
  return words.length > 0 ? words.join(' ') : nameKey(name);
}

export type NameMatch = { kind: 'found'; council: CouncilName } | { kind: 'ambiguous' | 'unknown'; candidates: CouncilName[] };

/** Finds councils by name in any of their spellings; abolished councils are returned as themselves. */
export class CouncilNames {
  private readonly byKey = new Map<string, Set<CouncilName>>();
  private readonly byShortKey = new Map<string, Set<CouncilName>>();
  private readonly byCode = new Map<string, CouncilName>();

  constructor(readonly councils: readonly CouncilName[]) {
    for (const council of councils) {
      this.byCode.set(council.code.toUpperCase(), council);
      for (const spelling of [council.name, ...council.otherNames]) {
        add(this.byKey, nameKey(spelling), council);
        add(this.byShortKey, shortNameKey(spelling), council);
      }
    }
  }

  byCodeOf(code: string): CouncilName | undefined {
    return this.byCode.get(code.toUpperCase());
  }

  /** The current council for a code, following successors. */
  current(code: string): CouncilName | undefined {
    let council = this.byCodeOf(code);
    for (let hops = 0; council?.successor && hops < 5; hops++) council = this.byCodeOf(council.successor) ?? council;
    return council;
  }

  find(name: string): NameMatch {
    for (const [map, key] of [
      [this.byKey, nameKey(name)],
      [this.byShortKey, shortNameKey(name)],
    ] as const) {
      const found = map.get(key);
      if (!found) continue;
      const councils = [...found];
      // A code change keeps the name (Gateshead E08000020 → E08000037): prefer the one that is current.
      const current = new Map(councils.map((c) => [this.current(c.code)?.code ?? c.code, c]));
      if (current.size === 1) {
        const live = councils.find((c) => !c.successor) ?? councils[0]!;
        return { kind: 'found', council: live };
      }
      return { kind: 'ambiguous', candidates: councils.filter((c) => !c.successor) };
    }
    return { kind: 'unknown', candidates: this.suggest(name) };
  }

  /** Live councils whose names share a word with, or are a few letters away from, the name given. */
  suggest(name: string, limit = 5): CouncilName[] {
    const wanted = shortNameKey(name);
    const words = new Set(wanted.split(' ').filter((w) => w.length > 2));
    const scored: { council: CouncilName; score: number }[] = [];
    for (const council of this.councils) {
      if (council.successor) continue;
      const key = shortNameKey(council.name);
      const shared = key.split(' ').some((w) => words.has(w)) || key.startsWith(wanted) || wanted.startsWith(key);
      const distance = editDistance(key, wanted);
      if (shared || distance <= Math.max(2, Math.floor(wanted.length / 4))) scored.push({ council, score: shared ? 0 : distance });
    }
    return scored
      .sort((a, b) => a.score - b.score || a.council.name.localeCompare(b.council.name))
      .slice(0, limit)
      .map((s) => s.council);
  }
}

function add(map: Map<string, Set<CouncilName>>, key: string, council: CouncilName): void {
  if (key === '') return;
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(council);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/**
 * A small ONS reference table (council names, deprivation) read whole, through the tool's one CSV reader:
 * its rows, and the index of the first header (trimmed, lower case) matching a pattern, -1 when none does.
 */
export function readReferenceCsv(text: string): { rows: string[][]; header: string[]; find: (test: RegExp) => number } {
  const rows: string[][] = [];
  tokenizeText(text, {
    onRecord: (record) => {
      const row: string[] = [];
      for (let i = 0; i < record.fieldCount; i++) row.push(record.field(i));
      rows.push(row);
    },
  });
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  return { rows, header, find: (test: RegExp) => header.findIndex((h) => test.test(h)) };
}
