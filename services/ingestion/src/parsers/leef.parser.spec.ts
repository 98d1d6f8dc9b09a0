import { parseLeef } from './leef.parser';
import { field, lines, own, parseOne, reasonFor } from './spec-helpers';

const [deepSecurity, apexLeef1, caretDelimited] = lines(own('trendmicro-leef.log'));

describe('LEEF syntax', () => {
  it('reads LEEF 1.0 with tabs and LEEF 2.0 with a hex or literal delimiter', () => {
    const one = parseLeef('LEEF:1.0|V|P|1|E1|a=1\tb=two words');
    const hex = parseLeef('LEEF:2.0|V|P|1|E2|x5E|a=1^b=2');
    const literal = parseLeef('LEEF:2.0|V|P|1|E3|;|a=1;b=2');
    const none = parseLeef('LEEF:2.0|V|P|1|E4|a=1\tb=2');
    for (const r of [one, hex, literal, none]) expect(r.ok).toBe(true);
    if (!one.ok || !hex.ok || !literal.ok || !none.ok) return;
    expect(Object.fromEntries(one.record.extensions)).toEqual({ a: '1', b: 'two words' });
    expect(Object.fromEntries(hex.record.extensions)).toEqual({ a: '1', b: '2' });
    expect(Object.fromEntries(literal.record.extensions)).toEqual({ a: '1', b: '2' });
    expect(Object.fromEntries(none.record.extensions)).toEqual({ a: '1', b: '2' });
  });

  it('reads attributes whose tabs became spaces on the way', () => {
    const r = parseLeef('LEEF:1.0|V|P|1|E|cat=Virus name=Some name sev=5');
    expect(r.ok && Object.fromEntries(r.record.extensions)).toEqual({ cat: 'Virus', name: 'Some name', sev: '5' });
  });

  it('rejects a short header', () => {
    expect(reasonFor('TREND_MICRO', 'LEEF:1.0|Trend Micro|Apex')).toBe(
      'Trend Micro: LEEF: header has 3 fields, expected at least 5 (LEEF:Version|Vendor|Product|Version|EventID)',
    );
  });
});

describe('Trend Micro LEEF', () => {
  it('reads Deep Security LEEF 2.0 (tab): anti-malware terminate, sev 6 -> medium, hashes', () => {
    const e = parseOne('TREND_MICRO', deepSecurity);
    expect(e).toMatchObject({ kind: 'alert', blocked: true, vendorSeverity: '6', ruleName: 'HEU_AEGIS_CRYPT' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T02:59:58.000Z');
    expect(field(e.ecs, 'event.severity')).toBe(47);
    expect(field(e.ecs, 'host')).toEqual({ name: 'srv-file-01', ip: ['10.20.60.5'] });
    expect(field(e.ecs, 'file.path')).toBe('C:\\Windows\\Temp\\crypt.exe');
    expect(field(e.ecs, 'file.hash.md5')).toBe('1947a1bc0e5f3ab9dc8e68a0c44d8e6a');
    expect(field(e.ecs, 'file.hash.sha1')).toBe('5ad084ddcd8f80fbf2ee3f0e4f812e812dee60c2');
    expect(field(e.ecs, 'rule.category')).toBe('Anti-Malware');
    expect(field(e.ecs, 'leef.device.product')).toBe('Deep Security Agent');
  });

  it('reads Apex Central LEEF 1.0: web reputation block with user and URL', () => {
    const e = parseOne('TREND_MICRO', apexLeef1);
    expect(e).toMatchObject({ kind: 'alert', blocked: true, ruleName: 'Dangerous URL blocked' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T03:00:40.000Z');
    expect(field(e.ecs, 'user.name')).toBe('yamada');
    expect(field(e.ecs, 'url.full')).toBe('http://203.0.113.99/payload.bin');
    expect(field(e.ecs, 'host.name')).toBe('PC-HR-008');
  });

  it('reads a "^" delimited LEEF 2.0 record: failed quarantine is not blocked, sev 9 -> critical', () => {
    const e = parseOne('TREND_MICRO', caretDelimited);
    expect(e).toMatchObject({ kind: 'alert', blocked: false, vendorSeverity: '9', ruleName: 'Ransomware detected' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T03:01:59.000Z');
    expect(field(e.ecs, 'kanshi.severity')).toBe('critical');
    expect(field(e.ecs, 'file.name')).toBe('enc.exe');
  });
});
