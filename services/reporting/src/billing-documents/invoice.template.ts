import { InvoiceIssuedV2Body } from '@kanshi/events';
import { documentShell } from '../rendering/document-shell';
import { html } from '../rendering/html';
import { BILLING_LABELS, yen } from './billing-document-labels';
import { BILLING_CSS } from './billing-document-styles';

// An invoice laid out as a Japanese qualified invoice (適格請求書): the issuer's name and
// registration number, the transaction date, each line's description, the totals per tax rate
// and the tax per rate, and the recipient's name.
export function invoiceDocument(inv: InvoiceIssuedV2Body): { html: string; title: string } {
  const L = BILLING_LABELS[inv.language];
  const ja = inv.language === 'ja';
  const title = `${L.invoiceTitle} ${inv.number}`;
  const perCustomer = inv.recipient.kind === 'partner';
  const lines = inv.lines.map(
    (l) => html`<tr>
      <td>${ja ? l.descriptionJa : l.description}${l.taxRate === 8 ? ' ※' : ''}${l.serviceFrom && l.serviceTo ? html`<br><small>${l.serviceFrom} – ${l.serviceTo}</small>` : ''}</td>
      ${perCustomer ? html`<td>${l.customerName ?? ''}</td>` : ''}
      <td class="num">${l.quantity.toLocaleString('ja-JP')}</td>
      <td class="num">${yen(l.unitPrice)}</td>
      <td class="num">${yen(l.amount)}</td>
      <td class="num">${l.taxRate}%</td>
    </tr>`,
  );
  const body = html`
    <div class="doc-head">
      <div>
        <h1 class="title">${L.invoiceTitle}</h1>
        <p class="subtitle">${L.qualified}</p>
        <div class="recipient">${inv.recipient.name} ${L.honorific}</div>
        <p>${L.invoiceLead}</p>
      </div>
      <div class="issuer">
        <table class="meta">
          <tr><th>${L.number}</th><td>${inv.number}</td></tr>
          <tr><th>${L.issueDate}</th><td>${inv.issueDate}</td></tr>
          <tr><th>${L.transactionDate}</th><td>${inv.transactionDate}</td></tr>
          <tr><th>${L.period}</th><td>${inv.period}</td></tr>
          <tr><th>${L.dueDate}</th><td>${inv.dueDate}</td></tr>
        </table>
        <div><strong>${inv.issuer.name}</strong></div>
        <div>${L.registrationNumber}: ${inv.issuer.registrationNumber}</div>
      </div>
    </div>
    <div class="grand">${L.total}: ${yen(inv.total)}</div>
    <table>
      <thead><tr><th>${L.description}</th>${perCustomer ? html`<th>${L.forCustomer}</th>` : ''}<th class="num">${L.quantity}</th><th class="num">${L.unitPrice}</th><th class="num">${L.amount}</th><th class="num">${L.taxRate}</th></tr></thead>
      <tbody>${lines}</tbody>
    </table>
    <table class="totals">
      <tr><th>${L.subtotal}</th><td class="num">${yen(inv.subtotal)}</td></tr>
      ${inv.taxByRate.map((t) => html`<tr><th>${L.taxableAt(t.rate)}</th><td class="num">${yen(t.taxable)}</td></tr><tr><th>${L.taxAt(t.rate)}</th><td class="num">${yen(t.tax)}</td></tr>`)}
      <tr><th>${L.total}</th><td class="num"><strong>${yen(inv.total)}</strong></td></tr>
    </table>
    ${inv.lines.some((l) => l.taxRate === 8) ? html`<p class="note">${L.reduced}</p>` : ''}`;
  return { title, html: documentShell({ lang: inv.language, title, css: BILLING_CSS, body }) };
}
