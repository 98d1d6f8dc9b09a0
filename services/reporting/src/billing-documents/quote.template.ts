import { QuoteIssuedV2Body } from '@kanshi/events';
import { documentShell } from '../rendering/document-shell';
import { html } from '../rendering/html';
import { BILLING_LABELS, yen } from './billing-document-labels';
import { BILLING_CSS } from './billing-document-styles';

// A quote (御見積書) as a complete document for the renderer; every value escaped.
export function quoteDocument(q: QuoteIssuedV2Body): { html: string; title: string } {
  const L = BILLING_LABELS[q.language];
  const ja = q.language === 'ja';
  const title = `${L.quoteTitle} ${q.number}`;
  const lines = q.lines.map(
    (l) => html`<tr>
      <td>${ja ? l.descriptionJa : l.description}${l.taxRate === 8 ? ' ※' : ''}</td>
      <td class="num">${l.quantity.toLocaleString('ja-JP')}${l.months ? html` × ${l.months}${L.months}` : ''}</td>
      <td class="num">${yen(l.unitPrice)}</td>
      <td class="num">${yen(l.amount)}</td>
      <td class="num">${l.taxRate}%</td>
    </tr>`,
  );
  const body = html`
    <div class="doc-head">
      <div>
        <h1 class="title">${L.quoteTitle}</h1>
        <div class="recipient">${q.recipient.name} ${L.honorific}</div>
        <p>${L.quoteLead}</p>
      </div>
      <div class="issuer">
        <table class="meta">
          <tr><th>${L.number}</th><td>${q.number}</td></tr>
          <tr><th>${L.issueDate}</th><td>${q.issueDate}</td></tr>
          <tr><th>${L.validUntil}</th><td>${q.validUntil}</td></tr>
        </table>
        <div><strong>${q.issuer.name}</strong></div>
        <div>${L.registrationNumber}: ${q.issuer.registrationNumber}</div>
      </div>
    </div>
    <div class="grand">${L.total}: ${yen(q.total)}</div>
    <table class="meta">
      <tr><th>${L.plan}</th><td>${q.plan}</td></tr>
      <tr><th>${L.startDate}</th><td>${q.startDate}</td></tr>
      <tr><th>${L.term}</th><td>${q.termMonths}${L.months}</td></tr>
    </table>
    <h2>${L.description}</h2>
    <table>
      <thead><tr><th>${L.description}</th><th class="num">${L.quantity}</th><th class="num">${L.unitPrice}</th><th class="num">${L.amount}</th><th class="num">${L.taxRate}</th></tr></thead>
      <tbody>${lines}</tbody>
    </table>
    <table class="totals">
      <tr><th>${L.subtotal}</th><td class="num">${yen(q.subtotal)}</td></tr>
      ${q.taxByRate.map((t) => html`<tr><th>${L.taxableAt(t.rate)}</th><td class="num">${yen(t.taxable)}</td></tr><tr><th>${L.taxAt(t.rate)}</th><td class="num">${yen(t.tax)}</td></tr>`)}
      <tr><th>${L.total}</th><td class="num"><strong>${yen(q.total)}</strong></td></tr>
      <tr><th>${L.oneTime}</th><td class="num">${yen(q.oneTimeTotal)}</td></tr>
      <tr><th>${L.monthly}</th><td class="num">${yen(q.monthlyTotal)}</td></tr>
    </table>
    ${q.lines.some((l) => l.taxRate === 8) ? html`<p class="note">${L.reduced}</p>` : ''}`;
  return { title, html: documentShell({ lang: q.language, title, css: BILLING_CSS, body }) };
}
