import { decideSeverity, SeverityEvidence } from './decide-severity';
import { RuleLevel } from './rule-engine.port';

const rule = (level: RuleLevel, correlation: unknown = null) => ({ level, correlation });
const evidence = (over: Partial<SeverityEvidence> = {}): SeverityEvidence => ({
  blocked: null,
  rules: [],
  iocConfidences: [],
  reputationMalicious: null,
  remainsOnEndpoint: false,
  vendorScore: 21,
  criticalAsset: false,
  ...over,
});

describe('decideSeverity: the seed’s three MDR examples', () => {
  it('HIGH: an Office macro spawned encoded PowerShell on an EDR endpoint and nothing blocked it (a breach in progress)', () => {
    const d = decideSeverity(evidence({ blocked: false, rules: [rule('high')], remainsOnEndpoint: true, vendorScore: 73 }));
    expect(d).toEqual({ severity: 'HIGH', basis: 'IN_PROGRESS', threat: true, raisedByAsset: false });
  });

  it('MEDIUM: the antivirus quarantined malware (prevented) but the file is still on the endpoint', () => {
    const d = decideSeverity(evidence({ blocked: true, rules: [rule('high')], reputationMalicious: 40, remainsOnEndpoint: true, vendorScore: 73 }));
    expect(d).toMatchObject({ severity: 'MEDIUM', basis: 'PREVENTED_REMAINS' });
  });

  it('LOW: the firewall reset a network attack and nothing reached an endpoint (little effect)', () => {
    const d = decideSeverity(evidence({ blocked: true, rules: [rule('high')], iocConfidences: [90], remainsOnEndpoint: false, vendorScore: 99 }));
    expect(d).toMatchObject({ severity: 'LOW', basis: 'LITTLE_EFFECT' });
  });
});

describe('decideSeverity table', () => {
  it.each<[string, string, string, Partial<SeverityEvidence>]>([
    ['a critical rule, not blocked', 'HIGH', 'IN_PROGRESS', { blocked: false, rules: [rule('critical')] }],
    ['a high rule, blocking unknown (treated as not blocked)', 'HIGH', 'IN_PROGRESS', { blocked: null, rules: [rule('high')] }],
    ['an IOC hit of confidence 70, not blocked', 'HIGH', 'IN_PROGRESS', { blocked: false, iocConfidences: [70] }],
    ['an IOC hit of confidence 69, not blocked', 'LOW', 'LITTLE_EFFECT', { blocked: false, iocConfidences: [69] }],
    ['a sample flagged by 5 engines, not blocked', 'HIGH', 'IN_PROGRESS', { blocked: false, reputationMalicious: 5, remainsOnEndpoint: true }],
    ['a sample flagged by 4 engines, not blocked', 'LOW', 'LITTLE_EFFECT', { blocked: false, reputationMalicious: 4 }],
    ['a correlation, even blocked', 'HIGH', 'CORRELATED', { blocked: true, rules: [rule('low', { type: 'sequence' })] }],
    ['a medium rule, not blocked', 'MEDIUM', 'MEDIUM_RULE', { blocked: false, rules: [rule('medium')] }],
    ['a medium rule, blocked, nothing on the endpoint', 'MEDIUM', 'MEDIUM_RULE', { blocked: true, rules: [rule('medium')] }],
    ['blocked with a file left (EDR alert with a hash), no rule', 'MEDIUM', 'PREVENTED_REMAINS', { blocked: true, remainsOnEndpoint: true }],
    ['an informational rule', 'LOW', 'LITTLE_EFFECT', { blocked: false, rules: [rule('informational')] }],
    ['a low rule', 'LOW', 'LITTLE_EFFECT', { blocked: false, rules: [rule('low')] }],
    ['a high rule, blocked, nothing on an endpoint', 'LOW', 'LITTLE_EFFECT', { blocked: true, rules: [rule('high')] }],
    ['a vendor-rated high alert let through with no other evidence', 'MEDIUM', 'UNBLOCKED_VENDOR_HIGH', { blocked: false, vendorScore: 73 }],
    ['a vendor-rated high alert that was blocked', 'LOW', 'LITTLE_EFFECT', { blocked: true, vendorScore: 99 }],
    ['nothing at all', 'LOW', 'LITTLE_EFFECT', {}],
  ])('%s -> %s (%s)', (_, severity, basis, over) => {
    expect(decideSeverity(evidence(over))).toMatchObject({ severity, basis, raisedByAsset: false });
  });
});

describe('decideSeverity on a critical asset', () => {
  it.each([
    ['LOW -> MEDIUM', {}, 'MEDIUM', true],
    ['MEDIUM -> HIGH', { blocked: true, remainsOnEndpoint: true }, 'HIGH', true],
    ['HIGH stays HIGH', { blocked: false, rules: [rule('high')] }, 'HIGH', false],
  ] as const)('raises one level: %s', (_, over, severity, raised) => {
    expect(decideSeverity(evidence({ ...over, criticalAsset: true }))).toMatchObject({ severity, raisedByAsset: raised });
  });
});
