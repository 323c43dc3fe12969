/**
 * Inline SVG charts for the HTML statement: no script, no network, legible in greyscale (each kind of money has
 * its own pattern as well as its own shade). They draw what they are given: every label is text the caller
 * worded from published figures; lengths are fractions the caller chose. All text is escaped here.
 */

/** Text for HTML and SVG: the five characters that could open markup or end an attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** What a part of a bar is: money that stays local, leaves, is of unknown location, or the rest. */
export type Kind = 'local' | 'leaving' | 'unknown' | 'other';

export const KIND_STYLE: Record<Kind, { fill: string; pattern?: string }> = {
  local: { fill: '#0e5a52' },
  leaving: { fill: '#d98a3a', pattern: 'hatch' },
  unknown: { fill: '#ece8dc', pattern: 'dots' },
  other: { fill: '#ffffff', pattern: 'dots' },
};

export interface Segment {
  kind: Kind;
  /** Share of the full bar width, 0–1. */
  fraction: number;
  /** The line under the bar that names this part, e.g. `£825,158.75 spent locally (66.0% of R1)`. */
  label: string;
}

export interface BarRow {
  /** Left of the bar, bold: `Round 1`. */
  heading: string;
  /** Under the heading: `£1,250,000.00`. */
  subheading: string;
  segments: Segment[];
}

export interface Chart {
  id: string;
  title: string;
  desc: string;
}

const WIDTH = 680;
const LABEL_WIDTH = 150;
const BAR_X = LABEL_WIDTH + 10;
const BAR_WIDTH = WIDTH - BAR_X - 10;
const BAR_HEIGHT = 20;
const LINE = 14.5;
const FONT = "font-family=\"'Helvetica Neue', Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif\"";

function defs(id: string): string {
  // Patterns drawn over the shade: lines for money leaving, dots for money of unknown location or the rest.
  return (
    `<defs>` +
    `<pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${KIND_STYLE.leaving.fill}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#5a3208" stroke-width="2"/></pattern>` +
    `<pattern id="${id}-dots" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="${KIND_STYLE.unknown.fill}"/><circle cx="2.5" cy="2.5" r="0.9" fill="#6b6554"/></pattern>` +
    `</defs>`
  );
}

function fillOf(id: string, kind: Kind): string {
  const style = KIND_STYLE[kind];
  return style.pattern ? `url(#${id}-${style.pattern})` : style.fill;
}

function swatch(id: string, kind: Kind, x: number, y: number): string {
  return `<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${fillOf(id, kind)}" stroke="#333" stroke-width="0.6"/>`;
}

function open(chart: Chart, height: number): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${chart.id}" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="${chart.id}-title ${chart.id}-desc" ${FONT} font-size="12">` +
    `<title id="${chart.id}-title">${escapeHtml(chart.title)}</title><desc id="${chart.id}-desc">${escapeHtml(chart.desc)}</desc>${defs(chart.id)}`
  );
}

/** Rows of stacked bars, each part named on its own line under the bar, with its pattern. */
export function stackedBars(chart: Chart, rows: readonly BarRow[]): string {
  let y = 4;
  const parts: string[] = [];
  for (const row of rows) {
    parts.push(`<text x="0" y="${y + 14}" font-weight="bold" font-size="13">${escapeHtml(row.heading)}</text>`);
    parts.push(`<text x="0" y="${y + 29}" fill="#333">${escapeHtml(row.subheading)}</text>`);
    let x = BAR_X;
    for (const segment of row.segments) {
      const width = Math.max(0, Math.min(1, segment.fraction)) * BAR_WIDTH;
      if (width > 0) parts.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${fillOf(chart.id, segment.kind)}" stroke="#222" stroke-width="0.6"/>`);
      x += width;
    }
    let line = y + BAR_HEIGHT + 13;
    for (const segment of row.segments) {
      parts.push(swatch(chart.id, segment.kind, BAR_X, line));
      parts.push(`<text x="${BAR_X + 16}" y="${line}">${escapeHtml(segment.label)}</text>`);
      line += LINE;
    }
    y = Math.max(line, y + 34) + 2;
  }
  return `${open(chart, y)}${parts.join('')}</svg>`;
}

export interface RankedBar {
  name: string;
  /** Share of the longest bar, 0–1. */
  fraction: number;
  value: string;
}

/** One bar per item, largest first: the name left, the bar, the value at its end. */
export function rankedBars(chart: Chart, items: readonly RankedBar[], kind: Kind): string {
  const nameWidth = 250;
  const valueWidth = 90;
  const barWidth = WIDTH - nameWidth - valueWidth - 20;
  const row = 17;
  const parts = items.map((item, i) => {
    const y = i * row + 2;
    const width = Math.max(1, Math.min(1, item.fraction) * barWidth);
    return (
      `<text x="${nameWidth - 6}" y="${y + 13}" text-anchor="end">${escapeHtml(item.name)}</text>` +
      `<rect x="${nameWidth}" y="${y + 2}" width="${width.toFixed(1)}" height="${row - 6}" fill="${fillOf(chart.id, kind)}" stroke="#222" stroke-width="0.6"/>` +
      `<text x="${(nameWidth + width + 6).toFixed(1)}" y="${y + 13}">${escapeHtml(item.value)}</text>`
    );
  });
  return `${open(chart, items.length * row + 6)}${parts.join('')}</svg>`;
}
