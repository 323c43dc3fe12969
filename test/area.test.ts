import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { parseAreaSpec } from '../src/geo/area.js';
import { districtOf, parsePostcode } from '../src/geo/postcode.js';

describe('parsePostcode', () => {
  it.each([
    ['HX1 1RE', 'HX1 1RE'],
    ['hx11re', 'HX1 1RE'],
    [' ol14 6ab ', 'OL14 6AB'],
    ['SW1A 1AA', 'SW1A 1AA'],
    ['EC1A1BB', 'EC1A 1BB'],
    ['M3 3EB', 'M3 3EB'],
  ])('%j is the full postcode %s', (text, postcode) => {
    expect(parsePostcode(text)).toMatchObject({ kind: 'full', postcode });
  });
  it('splits area, district and sector', () => {
    expect(parsePostcode('HX7 8AD')).toEqual({ kind: 'full', postcode: 'HX7 8AD', area: 'HX', district: 'HX7', sector: 'HX7 8' });
  });
  it('reads a district alone (payroll often holds only that)', () => {
    expect(parsePostcode('hx2')).toEqual({ kind: 'district', area: 'HX', district: 'HX2' });
    expect(parsePostcode('BD13')).toEqual({ kind: 'district', area: 'BD', district: 'BD13' });
  });
  it.each(['N/A', 'T12 VP94', 'HX', '12345', 'HX1 1R'])('%j is not a UK postcode', (text) => {
    expect(parsePostcode(text).kind).toBe('invalid');
  });
  it('treats blank as blank, not invalid', () => {
    expect(parsePostcode('  ').kind).toBe('blank');
    expect(parsePostcode(undefined).kind).toBe('blank');
  });
  it('shows only the district of a home postcode', () => {
    expect(districtOf(parsePostcode('HX3 5AX'))).toBe('HX3');
  });
});

describe('parseAreaSpec', () => {
  const place = (spec: string, postcode: string) => parseAreaSpec(spec).place(parsePostcode(postcode));

  it('places postcodes by area, district, range and sector', () => {
    expect(place('HX,OL14', 'HX7 8AD')).toEqual({ status: 'local', reason: 'IN_AREA' });
    expect(place('HX,OL14', 'OL14 6AB').status).toBe('local');
    expect(place('HX,OL14', 'OL12 7AA')).toEqual({ status: 'non-local', reason: 'OUTSIDE_AREA' });
    expect(place('HX1-HX7', 'HX7 1AA').status).toBe('local');
    expect(place('HX1-7', 'HX3 1AA').status).toBe('local');
    expect(place('HX1-HX7', 'HX8 1AA').status).toBe('non-local');
    expect(place('HX7 8', 'HX7 8AD').status).toBe('local');
    expect(place('HX7 8', 'HX7 9AD').status).toBe('non-local');
  });

  it('keeps a district that is only partly inside the area unknown, never guessed', () => {
    expect(place('HX7 8', 'HX7')).toEqual({ status: 'unknown', reason: 'DISTRICT_PARTLY_INSIDE' });
    expect(place('HX', 'HX7')).toEqual({ status: 'local', reason: 'IN_AREA' });
    expect(place('HX', 'BD13').status).toBe('non-local');
  });

  it('keeps missing and invalid postcodes unknown', () => {
    expect(place('HX', '')).toEqual({ status: 'unknown', reason: 'NO_POSTCODE' });
    expect(place('HX', 'N/A')).toEqual({ status: 'unknown', reason: 'POSTCODE_INVALID' });
  });

  it('describes each term for the report', () => {
    expect(parseAreaSpec('hx, OL14, HX1-HX3, HX7 8').terms).toEqual([
      'HX (postcode area)',
      'OL14 (postcode district)',
      'HX1–HX3 (postcode districts)',
      'HX7 8 (postcode sector)',
    ]);
  });
});
