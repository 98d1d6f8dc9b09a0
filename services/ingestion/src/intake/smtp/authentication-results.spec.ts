import { parseAuthenticationResults, senderAuthenticated } from './authentication-results';

const line = (v: string) => ({ key: 'authentication-results', line: `Authentication-Results: ${v}` });
const TRUSTED = ['mx.soc.example'];

describe('Authentication-Results', () => {
  it('reads the authserv-id and each method result, comments left out', () => {
    const r = parseAuthenticationResults(' mx.soc.example (Postfix); spf=pass (sender ok) smtp.mailfrom=example.jp;\r\n dkim=fail header.d=example.jp; dmarc=pass header.from=example.jp');
    expect(r.authservId).toBe('mx.soc.example');
    expect(Object.fromEntries(r.results)).toEqual({ spf: 'pass', dkim: 'fail', dmarc: 'pass' });
  });

  it('trusts a pass of SPF, DKIM or DMARC from a trusted relay only', () => {
    expect(senderAuthenticated([line('mx.soc.example; dkim=pass header.d=example.jp')], TRUSTED)).toBe(true);
    expect(senderAuthenticated([line('mx.soc.example; spf=fail; dkim=none; dmarc=fail')], TRUSTED)).toBe(false);
    expect(senderAuthenticated([line('mx.elsewhere.example; spf=pass; dkim=pass; dmarc=pass')], TRUSTED)).toBe(false);
    expect(senderAuthenticated([], TRUSTED)).toBe(false);
    expect(senderAuthenticated([line('mx.soc.example; dmarc=pass')], [])).toBe(false);
  });

  it("reads only the topmost header (the relay's own): a pass forged further down does not count", () => {
    expect(senderAuthenticated([line('mx.soc.example; spf=fail; dkim=fail; dmarc=fail'), line('mx.soc.example; dmarc=pass')], TRUSTED)).toBe(false);
  });
});
