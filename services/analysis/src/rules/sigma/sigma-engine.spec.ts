// The Sigma engine on its own: parsing (with line and column in every error) and matching.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RuleError } from '../rules.errors';
import { compileRule } from './sigma-compiler';
import { SIGMA_FIELD_MAP } from './sigma-fields';
import { LOGSOURCE_CATEGORIES, LOGSOURCE_PRODUCTS } from './sigma-logsource';
import { requiredPrefix } from './sigma-values';
import { parseSigmaRule } from './sigma-parser';

const rule = (detection: string, head = 'logsource: { product: windows, category: process_creation }') =>
  `title: t\nlevel: high\n${head}\ndetection:\n${detection
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n`;

const EDR = { product: 'CROWDSTRIKE_FALCON' } as const;

function matcher(detection: string, head?: string) {
  const c = compileRule(parseSigmaRule(rule(detection, head)));
  return (ecs: Record<string, unknown>, ctx: { product: 'CROWDSTRIKE_FALCON' | 'FORTIGATE' | 'SYMANTEC_SEP' } = EDR) => c.matches(ecs, ctx);
}

function invalid(yaml: string): string {
  try {
    parseSigmaRule(yaml);
  } catch (e) {
    if (RuleError.is(e, 'INVALID_RULE')) {
      expect(e).toMatchObject({ kind: 'BAD_USER_INPUT', field: 'yaml' });
      return e.message;
    }
    throw e;
  }
  throw new Error('expected INVALID_RULE');
}

describe('parseSigmaRule', () => {
  it('reads the metadata, the ATT&CK techniques and the Kanshi products', () => {
    const r = parseSigmaRule(`title: Encoded PowerShell
id: 3b1d3a6c-0d7e-4b55-9d9a-2f3f0f0a0001
status: test
description: PowerShell with an encoded command
level: high
tags: [attack.execution, attack.t1059.001, attack.T1027]
logsource: { product: windows, category: process_creation }
detection:
  selection: { Image|endswith: '\\powershell.exe' }
  condition: selection
`);
    expect(r).toMatchObject({
      title: 'Encoded PowerShell',
      id: '3b1d3a6c-0d7e-4b55-9d9a-2f3f0f0a0001',
      status: 'test',
      level: 'high',
      tags: ['attack.execution', 'attack.t1059.001', 'attack.T1027'],
      attackTechniques: ['T1059.001', 'T1027'],
      products: ['FIREEYE_HX', 'CROWDSTRIKE_FALCON', 'CYBEREASON', 'CARBON_BLACK'],
      kanshi: null,
    });
    expect(r.detection?.selections[0].anyOf[0][0]).toMatchObject({ written: 'Image', field: 'process.executable', modifiers: ['endswith'] });
  });

  it.each([
    ['bad YAML', 'title: t\nlevel: [high\n', /^\d+:\d+ YAML: /],
    ['a duplicate key', 'title: t\ntitle: u\n', /^2:1 YAML: .*[Uu]nique/],
    ['no detection', 'title: t\nlevel: low\nlogsource: {}\n', /^1:1 the rule has no detection$/],
    ['no condition', rule('sel: { process.name: a }'), /^5:3 detection has no condition$/],
    ['an unknown level', 'title: t\nlevel: severe\n', /^2:8 level must be one of informational, low, medium, high, critical$/],
    ['an unknown modifier', rule('sel: { CommandLine|contanis: x }\ncondition: sel'), /^5:22 unknown modifier "contanis"/],
    ['an unknown field', rule('sel:\n  ProcessNameX: a\ncondition: sel'), /^6:5 unknown field "ProcessNameX"/],
    ['an upper-case path outside ECS', rule('sel: { Foo.bar: a }\ncondition: sel'), /^5:10 unknown field "Foo.bar"/],
    ['a condition naming no selection', rule('sel: { process.name: a }\ncondition: sel and other'), /^6:22 condition names "other", which is not a selection$/],
    ['an unbalanced parenthesis', rule('sel: { process.name: a }\ncondition: (sel or sel'), /^6:25 missing "\)"$/],
    ['a pattern matching nothing', rule('sel: { process.name: a }\ncondition: 1 of filter*'), /^6:19 no selection matches "filter\*"$/],
    ['a dangling operator', rule('sel: { process.name: a }\ncondition: sel and'), /^6:\d+ condition ends where a selection was expected$/],
    ['a regex RE2 cannot run', rule("sel: { CommandLine|re: '(a)\\1' }\ncondition: sel"), /^5:26 CommandLine: regular expression .* is not valid RE2/],
    ['a bad network', rule("sel: { SourceIp|cidr: '10.0.0.0/33' }\ncondition: sel"), /is not an IPv4 or IPv6 network/],
    ['base64offset without contains', rule('sel: { CommandLine|base64offset: iex }\ncondition: sel'), /"base64offset" needs "contains"/],
    ['a keyword list', rule('keywords: [mimikatz]\ncondition: keywords'), /^5:13 selection keywords: keyword lists are not supported/],
    ['an unknown logsource product', 'title: t\nlevel: low\nlogsource: { product: solaris }\ndetection: { s: { process.name: a }, condition: s }\n', /^3:23 logsource product "solaris" maps to no Kanshi product/],
    ['a logsource with nothing in common', 'title: t\nlevel: low\nlogsource: { product: windows, category: firewall }\ndetection: { s: { process.name: a }, condition: s }\n', /share no Kanshi product/],
  ])('refuses %s with the line and column', (_, yaml, message) => {
    expect(invalid(yaml)).toMatch(message);
  });

  it('maps Kanshi products and categories: fortigate, firewall, antivirus', () => {
    const products = (ls: string) => parseSigmaRule(`title: t\nlevel: low\nlogsource: ${ls}\ndetection: { s: { process.name: a }, condition: s }\n`).products;
    expect(products('{ product: fortigate }')).toEqual(['FORTIGATE']);
    expect(products('{ category: firewall }')).toEqual(['FORTIGATE', 'PALO_ALTO']);
    expect(products('{ category: antivirus }')).toEqual(['SYMANTEC_SEP', 'TREND_MICRO']);
    expect(products('{ product: fireeye, category: ids }')).toEqual(['FIREEYE_NX', 'FIREEYE_CM']);
  });
});

describe('compileRule: values and modifiers', () => {
  it('compares plain strings whole and case-insensitively, with * and ? wildcards and escapes', () => {
    const m = matcher("sel:\n  process.name: 'Power*.e?e'\n  process.title: 'a\\*b'\ncondition: sel");
    expect(m({ process: { name: 'POWERSHELL.EXE', title: 'a*b' } })).toBe(true);
    expect(m({ process: { name: 'powershell.exe', title: 'axb' } })).toBe(false);
    expect(m({ process: { name: 'xpowershell.exe', title: 'a*b' } })).toBe(false);
  });

  it('contains, startswith and endswith; a list is any of, |all is every one', () => {
    const any = matcher("sel:\n  CommandLine|contains: [' -enc ', 'frombase64string']\ncondition: sel");
    expect(any({ process: { command_line: 'powershell -ENC abc' } })).toBe(true);
    expect(any({ process: { command_line: 'powershell -nop' } })).toBe(false);
    const all = matcher("sel:\n  CommandLine|contains|all: ['-nop', '-w hidden']\ncondition: sel");
    expect(all({ process: { command_line: 'powershell -nop -w hidden' } })).toBe(true);
    expect(all({ process: { command_line: 'powershell -nop' } })).toBe(false);
    const ends = matcher("sel:\n  ParentImage|endswith: '\\winword.exe'\ncondition: sel");
    expect(ends({ process: { parent: { executable: 'C:\\Program Files\\Office\\WINWORD.EXE' } } })).toBe(true);
    const starts = matcher("sel:\n  Image|startswith: 'c:\\windows\\'\ncondition: sel");
    expect(starts({ process: { executable: 'C:\\Windows\\System32\\cmd.exe' } })).toBe(true);
    expect(starts({ process: { executable: 'D:\\Windows\\cmd.exe' } })).toBe(false);
  });

  it('re runs RE2, case-sensitive unless |i', () => {
    const m = matcher("sel:\n  CommandLine|re: '-e(nc|ncodedcommand)? [A-Za-z0-9+/=]{8,}'\ncondition: sel");
    expect(m({ process: { command_line: 'powershell -enc SQBFAFgAIAAoAE4A' } })).toBe(true);
    expect(m({ process: { command_line: 'powershell -ENC SQBFAFgAIAAoAE4A' } })).toBe(false);
    const i = matcher("sel:\n  CommandLine|re|i: '-enc '\ncondition: sel");
    expect(i({ process: { command_line: 'powershell -ENC x' } })).toBe(true);
  });

  it('re keeps RE2 semantics past its literal prefilter: optional characters, inline flags, anchors', () => {
    const optional = matcher("sel:\n  CommandLine|re: 'evilx?[0-9]+'\ncondition: sel");
    expect(optional({ process: { command_line: 'run evil42' } })).toBe(true);
    expect(optional({ process: { command_line: 'run evixl42' } })).toBe(false);
    const inline = matcher("sel:\n  CommandLine|re: '(?i)mimikatz'\ncondition: sel");
    expect(inline({ process: { command_line: 'MIMIKATZ.exe' } })).toBe(true);
    const anchored = matcher("sel:\n  CommandLine|re: '^cmd /c'\ncondition: sel");
    expect(anchored({ process: { command_line: 'cmd /c whoami' } })).toBe(true);
    expect(anchored({ process: { command_line: 'x cmd /c whoami' } })).toBe(false);
    expect(requiredPrefix('evilx?[0-9]+')).toBe('evil');
    expect(requiredPrefix('a|bcd')).toBe('');
  });

  it('cidr matches IPv4 and IPv6 networks', () => {
    const m = matcher("sel:\n  DestinationIp|cidr: ['10.20.0.0/16', '2001:db8::/32', '192.168.1.128/25']\ncondition: sel");
    expect(m({ destination: { ip: '10.20.30.41' } })).toBe(true);
    expect(m({ destination: { ip: '10.21.0.1' } })).toBe(false);
    expect(m({ destination: { ip: '2001:db8:1::5' } })).toBe(true);
    expect(m({ destination: { ip: '2001:db9::5' } })).toBe(false);
    expect(m({ destination: { ip: '192.168.1.200' } })).toBe(true);
    expect(m({ destination: { ip: '192.168.1.100' } })).toBe(false);
    expect(m({ destination: { ip: 'not an ip' } })).toBe(false);
  });

  it('base64offset|contains finds the text base64-encoded at any offset, also as UTF-16 (wide)', () => {
    const m = matcher("sel:\n  CommandLine|base64offset|contains: 'Invoke-Expression'\ncondition: sel");
    for (const pad of ['', ' ', '  ']) {
      const encoded = Buffer.from(`${pad}Invoke-Expression (x)`).toString('base64');
      expect(m({ process: { command_line: `powershell -enc ${encoded}` } })).toBe(true);
    }
    expect(m({ process: { command_line: `powershell -enc ${Buffer.from('Get-Date').toString('base64')}` } })).toBe(false);
    const wide = matcher("sel:\n  CommandLine|wide|base64offset|contains: 'IEX'\ncondition: sel");
    expect(wide({ process: { command_line: `powershell -enc ${Buffer.from('IEX (New-Object Net.WebClient)', 'utf16le').toString('base64')}` } })).toBe(true);
  });

  it('null means absent; numbers compare with numbers or numeric text; gte and friends', () => {
    const m = matcher('sel:\n  user.name: null\n  destination.port: [445, 3389]\ncondition: sel');
    expect(m({ destination: { port: 445 } })).toBe(true);
    expect(m({ destination: { port: '3389' } })).toBe(true);
    expect(m({ destination: { port: 80 } })).toBe(false);
    expect(m({ user: { name: 'x' }, destination: { port: 445 } })).toBe(false);
    const gte = matcher('sel:\n  event.severity|gte: 73\ncondition: sel');
    expect(gte({ event: { severity: 99 } })).toBe(true);
    expect(gte({ event: { severity: 47 } })).toBe(false);
  });

  it('reads nested paths, and an array matches when any element does', () => {
    const m = matcher("sel:\n  host.ip|cidr: '10.60.0.0/16'\n  Hashes|contains: 'd4f9b73f'\ncondition: sel");
    expect(m({ host: { ip: ['192.0.2.1', '10.60.17.31'] }, file: { hash: { sha256: 'aa', md5: 'd4f9b73f98feb405' } } })).toBe(true);
    expect(m({ host: { ip: ['192.0.2.1'] }, file: { hash: { md5: 'd4f9b73f98feb405' } } })).toBe(false);
  });

  it('exists tells a present field from an absent one', () => {
    const m = matcher('sel:\n  user.name|exists: true\n  process.name|exists: false\ncondition: sel');
    expect(m({ user: { name: 'a' } })).toBe(true);
    expect(m({ user: { name: 'a' }, process: { name: 'x' } })).toBe(false);
  });

  it('applies only to the logsource products', () => {
    const m = matcher('sel: { event.kind: alert }\ncondition: sel', 'logsource: { category: antivirus }');
    expect(m({ event: { kind: 'alert' } }, { product: 'SYMANTEC_SEP' })).toBe(true);
    expect(m({ event: { kind: 'alert' } }, { product: 'FORTIGATE' })).toBe(false);
  });
});

describe('compileRule: conditions', () => {
  const det = `a: { process.name: a }
b: { process.name: b }
sel_x: { user.name: x }
sel_y: { host.name: y }
filter: { event.outcome: failure }
condition: CONDITION`;
  const ev = (name: string, user = '', host = '', outcome = 'success') => ({ process: { name }, user: { name: user }, host: { name: host }, event: { outcome } });

  it.each([
    ['a or b', ev('b'), true],
    ['a and not filter', ev('a', '', '', 'failure'), false],
    ['(a or b) and sel_x', ev('b', 'x'), true],
    ['(a or b) and sel_x', ev('b', 'z'), false],
    ['not a and not b', ev('c'), true],
    ['1 of sel_*', ev('c', '', 'y'), true],
    ['all of sel_*', ev('c', 'x', 'z'), false],
    ['all of sel_*', ev('c', 'x', 'y'), true],
    ['1 of them', ev('b'), true],
    ['all of them', ev('a', 'x', 'y', 'failure'), false],
    ['a or b and sel_x', ev('a'), true],
    ['NOT a AND b', ev('b'), true],
  ])('%s', (condition, event, expected) => {
    const c = compileRule(parseSigmaRule(rule(det.replace('CONDITION', condition))));
    expect(c.matches(event, EDR)).toBe(expected);
  });

  it('names the selections that matched', () => {
    const c = compileRule(parseSigmaRule(rule(det.replace('CONDITION', '1 of them'))));
    expect(c.selectionsMatched(ev('b', 'x'), EDR)).toEqual(['b', 'sel_x']);
    expect(c.selectionsMatched(ev('q'), EDR)).toBeNull();
  });
});

describe('docs/analysis.md', () => {
  it('lists every Sigma field mapping and every logsource product and category the engine knows', () => {
    const doc = fs.readFileSync(path.join(__dirname, '../../../../../docs/analysis.md'), 'utf8');
    for (const [sigma, ecs] of Object.entries(SIGMA_FIELD_MAP)) expect(doc).toContain(`| \`${sigma}\` | \`${ecs}\` |`);
    for (const category of Object.keys(LOGSOURCE_CATEGORIES)) expect(doc).toContain(`\`${category}\``);
    for (const product of ['windows', 'linux', 'macos', 'fireeye', 'fortinet', 'paloalto', 'panos', 'symantec', 'trendmicro', 'crowdstrike', 'carbonblack', 'imperva']) {
      expect(Object.keys(LOGSOURCE_PRODUCTS)).toContain(product);
      expect(doc).toContain(`\`${product}\``);
    }
  });
});
