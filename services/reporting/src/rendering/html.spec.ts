import { escapeHtml, html, joinHtml, trustedHtml } from './html';
import { SafeHtml } from './safe-html';

describe('escapeHtml', () => {
  it('escapes the characters that could open markup or leave an attribute', () => {
    expect(escapeHtml(`<img src="x" onerror='y'>&\``)).toBe('&lt;img src=&quot;x&quot; onerror=&#39;y&#39;&gt;&amp;&#96;');
  });
});

describe('html', () => {
  it('escapes every interpolated value', () => {
    const sig = '<script>alert(1)</script>';
    expect(html`<td title="${sig}">${sig}</td>`.value).toBe('<td title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</td>');
  });

  it('embeds nested templates, arrays of them and trusted markup as they are', () => {
    const rows = ['a<b', 'c'].map((v) => html`<tr><td>${v}</td></tr>`);
    const svg = trustedHtml('<svg><rect width="1"/></svg>');
    expect(html`<table>${rows}</table>${svg}`.value).toBe('<table><tr><td>a&lt;b</td></tr><tr><td>c</td></tr></table><svg><rect width="1"/></svg>');
  });

  it('prints numbers, prints nothing for null, undefined and false, and escapes a string that looks like SafeHtml', () => {
    expect(html`${0}|${null}|${undefined}|${false}|${12.5}`.value).toBe('0||||12.5');
    expect(html`${{ value: '<b>' } as unknown as string}`.value).toBe('[object Object]');
    expect(html`${new SafeHtml('<b>')}`.value).toBe('<b>');
  });

  it('joins parts with a separator, escaping plain strings', () => {
    expect(joinHtml([html`<b>1</b>`, '<2>'], html`<br>`).value).toBe('<b>1</b><br>&lt;2&gt;');
  });
});
