import { escapeHtml, trustedHtml } from '../rendering/html';
import { SafeHtml } from '../rendering/safe-html';

// Charts drawn as inline SVG on the server: numbers become geometry, every text is escaped, and
// nothing is loaded (the renderer would refuse it anyway).

export interface Series {
  name: string;
  color: string;
}

const FONT = 'font-family="IPAexGothic, sans-serif"';
const fmt = (n: number) => (Math.round(n * 100) / 100).toString();

// A round maximum for an axis: 1, 2, 5 times a power of ten, at least `max`.
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

// One stacked bar per category (e.g. a day), one segment per series (e.g. a severity).
export function stackedBarChart(opts: { labels: string[]; series: Series[]; values: number[][]; width?: number; height?: number; title: string }): SafeHtml {
  const width = opts.width ?? 680;
  const height = opts.height ?? 220;
  const left = 40;
  const bottom = 30;
  const top = 24;
  const plotW = width - left - 10;
  const plotH = height - top - bottom;
  const totals = opts.labels.map((_, i) => opts.series.reduce((s, _x, k) => s + (opts.values[k]?.[i] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const slot = plotW / Math.max(1, opts.labels.length);
  const barW = Math.max(2, slot * 0.7);
  const parts: string[] = [];
  for (let g = 0; g <= 4; g++) {
    const v = (max / 4) * g;
    const y = top + plotH - (v / max) * plotH;
    parts.push(`<line x1="${left}" y1="${fmt(y)}" x2="${width - 10}" y2="${fmt(y)}" stroke="#ddd" stroke-width="0.5"/>`);
    parts.push(`<text x="${left - 4}" y="${fmt(y + 3)}" text-anchor="end" font-size="8" ${FONT}>${escapeHtml(fmt(v))}</text>`);
  }
  opts.labels.forEach((label, i) => {
    let y = top + plotH;
    const x = left + i * slot + (slot - barW) / 2;
    opts.series.forEach((s, k) => {
      const v = opts.values[k]?.[i] ?? 0;
      if (v <= 0) return;
      const h = (v / max) * plotH;
      y -= h;
      parts.push(`<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(barW)}" height="${fmt(h)}" fill="${escapeHtml(s.color)}"><title>${escapeHtml(`${label} ${s.name}: ${v}`)}</title></rect>`);
    });
    if (opts.labels.length <= 16 || i % 2 === 0) {
      parts.push(`<text x="${fmt(x + barW / 2)}" y="${height - bottom + 12}" text-anchor="middle" font-size="7" ${FONT}>${escapeHtml(label)}</text>`);
    }
  });
  parts.push(`<line x1="${left}" y1="${top + plotH}" x2="${width - 10}" y2="${top + plotH}" stroke="#444" stroke-width="0.8"/>`);
  let lx = left;
  for (const s of opts.series) {
    parts.push(`<rect x="${lx}" y="6" width="9" height="9" fill="${escapeHtml(s.color)}"/><text x="${lx + 12}" y="14" font-size="9" ${FONT}>${escapeHtml(s.name)}</text>`);
    lx += 16 + s.name.length * 9;
  }
  return svg(width, height, opts.title, parts);
}

// A pie of shares (e.g. verdicts by severity), with a legend giving each count and share.
export function pieChart(opts: { slices: { label: string; value: number; color: string }[]; size?: number; title: string }): SafeHtml {
  const size = opts.size ?? 160;
  const width = size + 220;
  const r = size / 2 - 6;
  const cx = size / 2;
  const cy = size / 2;
  const total = opts.slices.reduce((s, x) => s + x.value, 0);
  const parts: string[] = [];
  if (total === 0) {
    parts.push(`<circle cx="${cx}" cy="${cy}" r="${r}" fill="#eee" stroke="#bbb"/>`);
  } else {
    let angle = -Math.PI / 2;
    for (const s of opts.slices) {
      if (s.value <= 0) continue;
      const sweep = (s.value / total) * Math.PI * 2;
      if (s.value === total) {
        parts.push(`<circle cx="${cx}" cy="${cy}" r="${r}" fill="${escapeHtml(s.color)}"/>`);
      } else {
        const x1 = cx + r * Math.cos(angle);
        const y1 = cy + r * Math.sin(angle);
        const x2 = cx + r * Math.cos(angle + sweep);
        const y2 = cy + r * Math.sin(angle + sweep);
        const large = sweep > Math.PI ? 1 : 0;
        parts.push(`<path d="M${fmt(cx)},${fmt(cy)} L${fmt(x1)},${fmt(y1)} A${fmt(r)},${fmt(r)} 0 ${large} 1 ${fmt(x2)},${fmt(y2)} Z" fill="${escapeHtml(s.color)}" stroke="#fff" stroke-width="1"/>`);
      }
      angle += sweep;
    }
  }
  opts.slices.forEach((s, i) => {
    const y = 20 + i * 18;
    const share = total ? ` (${((s.value / total) * 100).toFixed(1)}%)` : '';
    parts.push(`<rect x="${size + 12}" y="${y - 9}" width="10" height="10" fill="${escapeHtml(s.color)}"/>`);
    parts.push(`<text x="${size + 27}" y="${y}" font-size="9" ${FONT}>${escapeHtml(`${s.label}: ${s.value}${share}`)}</text>`);
  });
  return svg(width, size, opts.title, parts);
}

// Horizontal bars for a ranking (sensors, categories, signatures).
export function horizontalBarChart(opts: { items: { label: string; value: number }[]; color: string; width?: number; title: string }): SafeHtml {
  const width = opts.width ?? 680;
  const row = 16;
  const labelW = 230;
  const height = Math.max(1, opts.items.length) * row + 8;
  const max = niceMax(Math.max(0, ...opts.items.map((i) => i.value)));
  const plotW = width - labelW - 50;
  const parts: string[] = [];
  opts.items.forEach((it, i) => {
    const y = 4 + i * row;
    const w = (it.value / max) * plotW;
    const label = it.label.length > 40 ? `${it.label.slice(0, 39)}…` : it.label;
    parts.push(`<text x="${labelW - 6}" y="${y + 11}" text-anchor="end" font-size="8.5" ${FONT}>${escapeHtml(label)}</text>`);
    parts.push(`<rect x="${labelW}" y="${y + 2}" width="${fmt(Math.max(w, 0.5))}" height="${row - 5}" fill="${escapeHtml(opts.color)}"/>`);
    parts.push(`<text x="${fmt(labelW + w + 4)}" y="${y + 11}" font-size="8.5" ${FONT}>${escapeHtml(String(it.value))}</text>`);
  });
  return svg(width, height, opts.title, parts);
}

function svg(width: number, height: number, title: string, parts: string[]): SafeHtml {
  return trustedHtml(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">${parts.join('')}</svg>`,
  );
}
