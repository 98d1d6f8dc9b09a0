// The style sheet of quotes and invoices (on top of documentShell's base).
export const BILLING_CSS = `
.doc-head { display: flex; justify-content: space-between; align-items: flex-start; margin-bottom: 8mm; }
.title { font-size: 22pt; letter-spacing: 0.3em; margin: 0 0 4mm; }
.subtitle { font-size: 10pt; color: #444; margin: 0 0 6mm; }
.recipient { font-size: 14pt; border-bottom: 1px solid #333; padding-bottom: 1mm; margin-bottom: 4mm; }
.issuer { text-align: right; line-height: 1.6; }
.meta td, .meta th { border: none; padding: 0.5mm 2mm; }
.meta th { background: none; font-weight: normal; color: #444; }
.grand { font-size: 14pt; margin: 4mm 0 6mm; padding: 2mm 3mm; border: 2px solid #333; display: inline-block; }
.totals { width: 60%; margin-left: auto; margin-top: 4mm; }
.totals th { text-align: left; }
.note { font-size: 8.5pt; color: #444; margin-top: 3mm; }
`;
