import type { Placement } from '../domain/placement.js';
import { UsageError } from '../errors.js';
import type { Finding } from '../findings.js';
import type { ParsedPostcode } from './postcode.js';

/** A definition of "local" that can place any postcode. */
export interface Area {
  /** The spec as the user wrote it. */
  readonly spec: string;
  /** What the report calls a tier: `Halifax` in `--tier "Halifax=HX"`; without a label, the spec. */
  readonly label?: string;
  /** One line per term, for the report: `HX (postcode area)`. */
  readonly terms: readonly string[];
  place(postcode: ParsedPostcode): Placement;
  /** What the run should be told about the definition itself, e.g. an abolished council's successor. */
  readonly findings?: readonly Finding[];
}

/**
 * Splits a tier as written: the text before the first `=` is its label (`Greater Manchester=Bolton,Bury,Manchester`),
 * the rest its spec; specs never contain `=`. Without `=`, the spec is its own label.
 */
export function parseTier(text: string): { label: string; spec: string } {
  const at = text.indexOf('=');
  if (at < 0) return { label: text.trim(), spec: text.trim() };
  const label = text.slice(0, at).trim();
  const spec = text.slice(at + 1).trim();
  if (label === '' || spec === '') {
    throw new UsageError(`The tier "${text}" has no ${label === '' ? 'label before' : 'area after'} its "=".`, {
      hint: 'Name a tier as label=area, e.g. --tier "Greater Manchester=Bolton,Bury,Manchester", or give the area alone: --tier Calderdale.',
    });
  }
  return { label, spec };
}

const AREA = /^[A-Z]{1,2}$/;
const DISTRICT = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;
const DISTRICT_RANGE = /^([A-Z]{1,2})(\d{1,2})\s*-\s*(?:([A-Z]{1,2}))?(\d{1,2})$/;
const SECTOR = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9])$/;

/**
 * Parses `--area`: postcode areas (`HX`), districts (`OL14`), district ranges (`HX1-HX7`)
 * and sectors (`HX7 8`), comma-separated. Councils, regions and radii need the postcode directory.
 */
export function parseAreaSpec(spec: string): Area {
  const areas = new Set<string>();
  const districts = new Set<string>();
  const sectors = new Set<string>();
  const terms: string[] = [];
  const parts = spec.split(',').map((part) => part.trim().toUpperCase().replace(/\s+/g, ' ')).filter((part) => part !== '');
  if (parts.length === 0) throw new UsageError('The area is empty.', { hint: 'Give postcode areas or districts, e.g. --area "HX,OL14".' });
  for (const part of parts) {
    let m: RegExpExecArray | null;
    if (AREA.test(part)) {
      areas.add(part);
      terms.push(`${part} (postcode area)`);
    } else if (DISTRICT.test(part)) {
      districts.add(part);
      terms.push(`${part} (postcode district)`);
    } else if ((m = DISTRICT_RANGE.exec(part)) && (m[3] === undefined || m[3] === m[1])) {
      const from = Number(m[2]);
      const to = Number(m[4]);
      if (from > to || to - from > 99) throw new UsageError(`"${part}" is not a range of districts.`, { hint: 'Write a range low to high, e.g. HX1-HX7.' });
      for (let n = from; n <= to; n++) districts.add(`${m[1]}${n}`);
      terms.push(`${m[1]}${from}–${m[1]}${to} (postcode districts)`);
    } else if ((m = SECTOR.exec(part))) {
      sectors.add(`${m[1]} ${m[2]}`);
      terms.push(`${m[1]} ${m[2]} (postcode sector)`);
    } else {
      throw new UsageError(`"${part}" in --area is not a postcode area, district or sector.`, {
        hint:
          'Postcode areas, districts or sectors: --area "HX,OL14", "HX1-HX7", "HX7 8". ' +
          'Councils, regions and radii ("Calderdale", "radius:HX1 1RE:10") need the ONS postcode directory: local-impact geo import <NSPL zip>.',
      });
    }
  }
  const sectorDistricts = new Set([...sectors].map((sector) => sector.split(' ')[0]!));
  return {
    spec,
    terms,
    place(postcode) {
      switch (postcode.kind) {
        case 'blank':
          return { status: 'unknown', reason: 'NO_POSTCODE' };
        case 'invalid':
          return { status: 'unknown', reason: 'POSTCODE_INVALID' };
        case 'district':
          if (areas.has(postcode.area) || districts.has(postcode.district)) return { status: 'local', reason: 'IN_AREA' };
          if (sectorDistricts.has(postcode.district)) return { status: 'unknown', reason: 'DISTRICT_PARTLY_INSIDE' };
          return { status: 'non-local', reason: 'OUTSIDE_AREA' };
        case 'full':
          if (areas.has(postcode.area) || districts.has(postcode.district) || sectors.has(postcode.sector)) {
            return { status: 'local', reason: 'IN_AREA' };
          }
          return { status: 'non-local', reason: 'OUTSIDE_AREA' };
      }
    },
  };
}
