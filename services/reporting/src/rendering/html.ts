import { SafeHtml } from './safe-html';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

// Text as HTML text or attribute value: & < > " ' ` escaped.
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

// What `html` interpolates: SafeHtml as it is, null/undefined/false as nothing, arrays item by
// item (so `${rows.map((r) => html`<tr>…</tr>`)}` works), anything else escaped as text.
export type HtmlValue = SafeHtml | string | number | bigint | boolean | null | undefined | Date | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  if (value instanceof Date) return escapeHtml(value.toISOString());
  return escapeHtml(value);
}

// The tagged template every report is written with: every `${value}` is escaped unless it is
// SafeHtml (a nested `html` template, or `trustedHtml(...)`).
//   html`<td>${alert.signature}</td>`   ->  <td>&lt;script&gt;…</td>
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

// Markup the code wrote itself and knows to be safe (an SVG chart whose every text went through
// escapeHtml). Never pass data from an event or a user through this.
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

export function joinHtml(parts: readonly HtmlValue[], separator: HtmlValue = ''): SafeHtml {
  return new SafeHtml(parts.map(render).join(render(separator)));
}
