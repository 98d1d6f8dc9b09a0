import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AlertReceivedBody } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { AssetContextService } from '../assets/asset-context.service';
import type { IocHit } from '../iocs/ioc-matcher';
import { IocMatcher } from '../iocs/ioc-matcher';
import { ReputationService } from '../reputation/reputation.service';
import type { FileReputation } from '../reputation/virustotal.client';
import type { AlertGrouper } from '../alert-groups/alert-grouper';
import type { SuppressionMatcher } from '../suppressions/suppression-matcher';
import type { SuppressionsService } from '../suppressions/suppressions.service';
import { AlertEnvelope, AnalysisService } from './analysis.service';
import { RuleEngine, RuleMatch } from './rule-engine.port';
import { NewVerdict, VerdictsRepository } from './verdicts.repository';

const CUSTOMER = '00000000-0000-4000-8000-0000000000c1';
const SHA256 = 'b95d76a9492c4d739fc30896006d134b5ae44aa5945356f9cc4f6a0f9bcc3ad2';

function alertOf(over: Partial<AlertReceivedBody> = {}): AlertEnvelope {
  return {
    eventId: randomUUID(),
    subject: 'ingestion.alert.received.v1',
    occurredAt: '2026-11-02T01:00:00.000Z',
    customerId: CUSTOMER,
    body: {
      alertId: randomUUID(),
      sensorId: '00000000-0000-4000-8000-0000000000a1',
      product: 'CROWDSTRIKE_FALCON',
      occurredAt: '2026-11-02T01:00:00.000Z',
      receivedAt: '2026-11-02T01:00:01.000Z',
      ruleName: 'Suspicious PowerShell',
      vendorSeverity: 'High',
      severity: 73,
      blocked: false,
      groupKey: null,
      repeatCount: 1,
      ecs: { host: { name: 'PC-ENG-004', ip: ['10.1.2.3'] }, user: { name: 'tanaka' }, event: { category: ['process'] }, process: { hash: { sha256: SHA256 } } },
      ...over,
    },
  };
}

const highRule = (over: Partial<RuleMatch> = {}): RuleMatch => ({
  ruleId: 'r-office-ps',
  version: 2,
  title: 'Office spawning encoded PowerShell',
  level: 'high',
  severity: 'HIGH',
  tags: ['attack.execution', 'attack.t1059.001'],
  attackTechniques: ['T1059.001'],
  kanshi: { reason: { en: 'An Office macro started PowerShell with an encoded command', ja: 'Office マクロがエンコードされたコマンドで PowerShell を起動しました' }, actions: [{ en: 'Check the document that was opened', ja: '開かれた文書を確認してください' }], isolate: true },
  selections: ['parent', 'encoded'],
  correlation: null,
  ...over,
});

function setup(opts: { matches?: RuleMatch[]; failures?: { ruleId: string; version: number; error: string }[]; iocHits?: IocHit[]; reputation?: FileReputation | null; suppression?: { id: string; reason: string } | null; critical?: boolean } = {}) {
  // The transaction's state, with savepoints that roll back verdicts, events and groups alike.
  let verdicts = new Map<string, NewVerdict>();
  let events: { subject: string; body: any; customerId: string | null }[] = [];
  let groups: string[] = [];
  // savepoint name -> the state when it was taken
  const saved = new Map<string, { verdicts: Map<string, NewVerdict>; events: typeof events; groups: string[] }>();
  const tx = {} as EntityManager;
  const repo = {
    findByAlert: jest.fn(async (_tx: EntityManager, alertId: string) => {
      const v = verdicts.get(alertId);
      return v ? { id: v.id, repeatCount: v.repeatCount } : null;
    }),
    raiseRepeatCount: jest.fn(async (_tx: EntityManager, alertId: string, n: number) => {
      const v = verdicts.get(alertId);
      if (v && v.repeatCount < n) v.repeatCount = n;
    }),
    repeatCountsByAlert: jest.fn(async (_tx: EntityManager, alertIds: string[]) => new Map(alertIds.filter((id) => verdicts.has(id)).map((id) => [id, verdicts.get(id)!.repeatCount]))),
    insert: jest.fn(async (_tx: EntityManager, v: NewVerdict) => {
      if (verdicts.has(v.alertId)) return false;
      verdicts.set(v.alertId, { ...v });
      return true;
    }),
    insertMany: jest.fn(async (_tx: EntityManager, vs: NewVerdict[]) => {
      const inserted = new Set<string>();
      for (const v of vs) {
        if (verdicts.has(v.alertId)) continue;
        verdicts.set(v.alertId, { ...v });
        inserted.add(v.alertId);
      }
      return inserted;
    }),
    savepoint: jest.fn(async (_tx: EntityManager, name = 'analyse_alert') => {
      saved.set(name, { verdicts: new Map([...verdicts].map(([k, v]) => [k, { ...v }])), events: [...events], groups: [...groups] });
    }),
    rollbackToSavepoint: jest.fn(async (_tx: EntityManager, name = 'analyse_alert') => {
      const s = saved.get(name)!;
      verdicts = s.verdicts;
      events = s.events;
      groups = s.groups;
    }),
    releaseSavepoint: jest.fn(async (_tx: EntityManager, name = 'analyse_alert') => {
      saved.delete(name);
    }),
  };
  const push = (def: { subject: string }, body: unknown, o: { customerId: string | null }) => events.push({ subject: def.subject, body, customerId: o.customerId });
  const outbox = {
    add: jest.fn(async (_tx: EntityManager, def: { subject: string }, body: unknown, o: { customerId: string | null }) => push(def, body, o)),
    addMany: jest.fn(async (_tx: EntityManager, def: { subject: string }, items: { body: unknown; customerId: string | null }[]) => items.map((i) => push(def, i.body, i))),
  };
  const iocs = { match: jest.fn(async () => opts.iocHits ?? []) };
  const reputation = { lookup: jest.fn(async () => opts.reputation ?? null) };
  const assets = {
    learn: jest.fn(async () => undefined),
    forgetUncommitted: jest.fn(),
    contextOf: jest.fn(async (_c: string, eps: { hostName: string | null; ip: string | null }[]) => ({
      endpoints: eps.map((e) => ({ hostName: e.hostName, ip: e.ip })),
      critical: opts.critical ? [{ id: 'a1', customerId: CUSTOMER, hostName: 'pc-eng-004', ip: null, note: 'finance server', createdBy: 'x', createdAt: new Date() }] : [],
    })),
  };
  const evaluate = jest.fn<ReturnType<RuleEngine['evaluate']>, Parameters<RuleEngine['evaluate']>>(async () => ({ matches: opts.matches ?? [], failures: opts.failures ?? [] }));
  const rules = {
    evaluate,
    // a batch judged through the same fake, alert by alert (evaluate's calls count every alert judged)
    evaluateMany: jest.fn<ReturnType<RuleEngine['evaluateMany']>, Parameters<RuleEngine['evaluateMany']>>(async (tx, alerts) => {
      const out = [];
      for (const a of alerts) out.push(await evaluate(tx, a));
      return out;
    }),
  } satisfies RuleEngine;
  const grouper = {
    assign: jest.fn<ReturnType<AlertGrouper['assign']>, Parameters<AlertGrouper['assign']>>(async (_tx, a) => {
      groups.push(a.alertId);
      return { groupId: '00000000-0000-4000-8000-00000000000a', isNew: true, joinedBy: 'NEW' };
    }),
    assignMany: jest.fn<ReturnType<AlertGrouper['assignMany']>, Parameters<AlertGrouper['assignMany']>>(async (_tx, inputs) =>
      inputs.map((a) => {
        groups.push(a.alertId);
        return { groupId: '00000000-0000-4000-8000-00000000000a', isNew: true, joinedBy: 'NEW' as const };
      }),
    ),
    raiseSeverity: jest.fn<ReturnType<AlertGrouper['raiseSeverity']>, Parameters<AlertGrouper['raiseSeverity']>>(async () => undefined),
    raiseSeverities: jest.fn<ReturnType<AlertGrouper['raiseSeverities']>, Parameters<AlertGrouper['raiseSeverities']>>(async () => undefined),
  } satisfies Pick<AlertGrouper, 'assign' | 'assignMany' | 'raiseSeverity' | 'raiseSeverities'>;
  const suppressionRules = {
    match: jest.fn<ReturnType<SuppressionMatcher['match']>, Parameters<SuppressionMatcher['match']>>(async () => (opts.suppression ? { customerId: CUSTOMER, owner: 'analyst', from: new Date(0), until: new Date(8.64e15), ...opts.suppression } : null)),
  } satisfies Pick<SuppressionMatcher, 'match'>;
  const suppressions = { recordHit: jest.fn(async () => true) };
  const sut = new AnalysisService(
    repo as unknown as VerdictsRepository,
    outbox as unknown as Outbox,
    iocs as unknown as IocMatcher,
    reputation as unknown as ReputationService,
    assets as unknown as AssetContextService,
    rules,
    grouper as unknown as AlertGrouper,
    suppressionRules as unknown as SuppressionMatcher,
    suppressions as unknown as SuppressionsService,
  );
  return { sut, ctx: { tx, repo, outbox, iocs, reputation, assets, rules, grouper, suppressionRules, suppressions, verdicts: () => verdicts, events: () => events, groups: () => groups } };
}

describe('AnalysisService.analyse', () => {
  it('gives an unblocked high-rule EDR alert a HIGH verdict with reasons, actions and isolation, and publishes v2', async () => {
    const { sut, ctx } = setup({ matches: [highRule()] });
    const alert = alertOf();
    expect(await sut.analyse(ctx.tx, [alert])).toEqual(['VERDICT']);
    const v = ctx.verdicts().get(alert.body.alertId)!;
    expect(v).toMatchObject({ severity: 'HIGH', automaticSeverity: 'HIGH', isolationRecommended: true, blocked: false, signature: 'Office spawning encoded PowerShell', groupId: '00000000-0000-4000-8000-00000000000a', suppressedBy: null, category: ['process'] });
    expect(v.endpoints).toEqual([{ hostName: 'pc-eng-004', ip: '10.1.2.3' }]);
    expect(v.reasons).toContainEqual({ kind: 'RULE', text: 'An Office macro started PowerShell with an encoded command', textJa: 'Office マクロがエンコードされたコマンドで PowerShell を起動しました', attackTechniques: ['T1059.001'] });
    expect(v.reasons.map((r) => r.kind)).toEqual(['RULE', 'BLOCKED']);
    expect(v.actions.map((a) => a.text)).toEqual([
      'Isolate the endpoint from the network until it is investigated or rebuilt',
      'Check the document that was opened',
      'Collect the sample (file) from the endpoint for analysis',
      'Remove the remaining malware from the endpoint and run a full scan',
      'Reset the credentials of the user account involved and review its recent sign-ins',
    ]);
    // v2 alone: v1 is no longer published (every consumer reads v2)
    expect(ctx.events().map((e) => e.subject)).toEqual(['analysis.verdict.issued.v2']);
    expect(ctx.events()[0].body).toMatchObject({ verdictId: v.id, alertIds: [alert.body.alertId], severity: 'HIGH', overridden: false, product: 'CROWDSTRIKE_FALCON', category: ['process'], signature: 'Office spawning encoded PowerShell' });
    expect(ctx.events()[0].body.endpoints).toEqual([expect.objectContaining({ hostName: 'pc-eng-004', ip: '10.1.2.3' })]);
    expect(ctx.grouper.raiseSeverity).toHaveBeenCalledWith(ctx.tx, '00000000-0000-4000-8000-00000000000a', 'HIGH');
    expect(ctx.reputation.lookup).toHaveBeenCalledWith(SHA256);
  });

  it('stores a suppressed alert’s verdict with the suppression id, counts the hit, and publishes nothing', async () => {
    const { sut, ctx } = setup({ suppression: { id: 'sup-1', reason: 'vulnerability scanner' }, matches: [highRule()] });
    const alert = alertOf();
    expect(await sut.analyse(ctx.tx, [alert])).toEqual(['SUPPRESSED']);
    expect(ctx.verdicts().get(alert.body.alertId)).toMatchObject({ suppressedBy: 'sup-1', groupId: null });
    expect(ctx.suppressions.recordHit).toHaveBeenCalledWith(ctx.tx, 'sup-1', alert.body.alertId, alert.customerId, new Date(alert.body.occurredAt));
    expect(ctx.events()).toEqual([]);
    expect(ctx.rules.evaluate).not.toHaveBeenCalled();
  });

  it('sends an alert whose analysis throws to manual triage: MEDIUM, the error named, events out, nothing half-written', async () => {
    const { sut, ctx } = setup({ matches: [highRule()] });
    ctx.grouper.raiseSeverity.mockRejectedValueOnce(new Error('group table locked'));
    const alert = alertOf();
    expect(await sut.analyse(ctx.tx, [alert])).toEqual(['MANUAL_TRIAGE']);
    const v = ctx.verdicts().get(alert.body.alertId)!;
    expect(v).toMatchObject({ severity: 'MEDIUM', groupId: null, isolationRecommended: false });
    expect(v.reasons).toEqual([expect.objectContaining({ kind: 'MANUAL_TRIAGE', text: 'Automatic analysis failed (Error: group table locked): an analyst must triage this alert' })]);
    expect(ctx.groups()).toEqual([]); // the group assignment was rolled back with the savepoint
    expect(ctx.events().map((e) => [e.subject, e.body.severity])).toEqual([['analysis.verdict.issued.v2', 'MEDIUM']]);
  });

  it('keeps going after one alert of a batch fails: the others get their own verdicts', async () => {
    const { sut, ctx } = setup();
    const bad = alertOf();
    // fails on this alert every time (a failure once would pass when it goes alert by alert)
    (ctx.iocs.match as jest.Mock).mockImplementation(async (_c: string, ecs: unknown) => {
      if (ecs === bad.body.ecs) throw new Error('index reload failed');
      return [];
    });
    expect(await sut.analyse(ctx.tx, [bad, alertOf()])).toEqual(['MANUAL_TRIAGE', 'VERDICT']);
    expect(ctx.verdicts().size).toBe(2);
    // the batch's writes were rolled back before it went alert by alert: two verdicts, two events
    expect(ctx.events()).toHaveLength(2);
    expect(ctx.repo.rollbackToSavepoint).toHaveBeenCalledWith(ctx.tx, 'analyse_batch');
  });

  it('analyses a batch together: one read of known verdicts, groups at once, one verdict INSERT, the events in one statement', async () => {
    const { sut, ctx } = setup({ matches: [highRule()] });
    const seen = alertOf();
    await sut.analyse(ctx.tx, [seen]);
    ctx.grouper.raiseSeverity.mockClear();
    const batch = [alertOf(), { ...seen, eventId: randomUUID(), body: { ...seen.body, repeatCount: 2 } }, alertOf()];
    expect(await sut.analyse(ctx.tx, batch)).toEqual(['VERDICT', 'REPEAT', 'VERDICT']);
    expect(ctx.repo.repeatCountsByAlert).toHaveBeenCalledTimes(1);
    expect(ctx.grouper.assignMany).toHaveBeenCalledTimes(1);
    expect(ctx.grouper.assignMany.mock.calls[0][1].map((i) => i.alertId)).toEqual([batch[0].body.alertId, batch[2].body.alertId]);
    expect(ctx.repo.insertMany).toHaveBeenCalledTimes(1);
    expect(ctx.outbox.addMany).toHaveBeenCalledTimes(1);
    // both verdicts are in one group: its severity raised once, in the batch's one statement
    expect(ctx.grouper.raiseSeverities).toHaveBeenCalledTimes(1);
    expect(ctx.grouper.raiseSeverities.mock.calls[0][1]).toEqual(new Map([['00000000-0000-4000-8000-00000000000a', 'HIGH']]));
    expect(ctx.grouper.raiseSeverity).not.toHaveBeenCalled();
    expect(ctx.verdicts().get(seen.body.alertId)!.repeatCount).toBe(2);
    expect(ctx.events().filter((e) => e.subject === 'analysis.verdict.issued.v2').map((e) => e.body.alertIds[0])).toEqual([seen.body.alertId, batch[0].body.alertId, batch[2].body.alertId]);
    expect(ctx.repo.savepoint).toHaveBeenCalledWith(ctx.tx, 'analyse_batch');
    expect(ctx.repo.releaseSavepoint).toHaveBeenCalledWith(ctx.tx, 'analyse_batch');
  });

  it('goes alert by alert when an alert of the batch got its verdict meanwhile (another replica), with the same outcome', async () => {
    const { sut, ctx } = setup();
    const [x, y] = [alertOf(), alertOf()];
    const insertMany = ctx.repo.insertMany.getMockImplementation()!;
    ctx.repo.insertMany.mockImplementationOnce(async (tx, vs) => {
      // the other replica's verdict for x lands between the read and the insert
      await ctx.repo.insert(tx, { ...vs[0], id: randomUUID() });
      return insertMany(tx, vs);
    });
    expect(await sut.analyse(ctx.tx, [x, y])).toEqual(['VERDICT', 'VERDICT']);
    expect(ctx.repo.rollbackToSavepoint).toHaveBeenCalledWith(ctx.tx, 'analyse_batch');
    expect(ctx.verdicts().size).toBe(2);
    expect(ctx.events()).toHaveLength(2);
  });

  // (the engine itself turns a failing rule off: rules' int spec)
  it('still counts the other rules’ matches when a rule failed', async () => {
    const { sut, ctx } = setup({ matches: [highRule()], failures: [{ ruleId: 'r-broken', version: 3, error: 'RE2: stack overflow' }] });
    const alert = alertOf();
    expect(await sut.analyse(ctx.tx, [alert])).toEqual(['VERDICT']);
    expect(ctx.verdicts().get(alert.body.alertId)!.severity).toBe('HIGH');
  });

  it('gives a redelivered alert no second verdict, group or event', async () => {
    const { sut, ctx } = setup({ matches: [highRule()] });
    const alert = alertOf();
    await sut.analyse(ctx.tx, [alert]);
    expect(await sut.analyse(ctx.tx, [{ ...alert, eventId: randomUUID() }])).toEqual(['DUPLICATE']);
    expect(ctx.verdicts().size).toBe(1);
    expect(ctx.grouper.assign).toHaveBeenCalledTimes(1);
    expect(ctx.events()).toHaveLength(1);
  });

  it('updates only the count on a repeat of the same vendor alert', async () => {
    const { sut, ctx } = setup({ matches: [highRule()] });
    const alert = alertOf();
    await sut.analyse(ctx.tx, [alert]);
    expect(await sut.analyse(ctx.tx, [{ ...alert, eventId: randomUUID(), body: { ...alert.body, repeatCount: 4 } }])).toEqual(['REPEAT']);
    expect(ctx.verdicts().get(alert.body.alertId)!.repeatCount).toBe(4);
    expect(ctx.events()).toHaveLength(1);
    expect(ctx.rules.evaluate).toHaveBeenCalledTimes(1);
  });

  it('gives a blocked EDR detection with the file left behind MEDIUM, flagged by the sample’s reputation', async () => {
    const reputation: FileReputation = { hash: SHA256, found: true, malicious: 45, suspicious: 0, undetected: 25, harmless: 0, totalEngines: 70, detectionRatio: '45/70', detectedBy: [{ engine: 'Kaspersky', category: 'malicious', result: 'Trojan' }], meaningfulName: null, typeDescription: null } as FileReputation;
    const { sut, ctx } = setup({ reputation });
    const alert = alertOf({ blocked: true, ecs: { host: { name: 'pc-01' }, file: { hash: { sha256: SHA256 } } } });
    await sut.analyse(ctx.tx, [alert]);
    const v = ctx.verdicts().get(alert.body.alertId)!;
    expect(v.severity).toBe('MEDIUM');
    expect(v.isolationRecommended).toBe(false);
    expect(v.reasons.map((r) => r.kind)).toEqual(['REPUTATION', 'BLOCKED']);
    expect(v.reasons[0].text).toBe(`Sample ${SHA256}: 45/70 antivirus engines flag it as malicious (Kaspersky)`);
    expect(v.actions.map((a) => a.text)).toContain('Remove the remaining malware from the endpoint and run a full scan');
  });

  it('raises a verdict on a critical asset one level with an ASSET reason', async () => {
    const { sut, ctx } = setup({ critical: true });
    const alert = alertOf({ blocked: true, severity: 21, ecs: { host: { name: 'pc-eng-004' } } });
    await sut.analyse(ctx.tx, [alert]);
    const v = ctx.verdicts().get(alert.body.alertId)!;
    expect(v).toMatchObject({ severity: 'MEDIUM', automaticSeverity: 'MEDIUM' });
    expect(v.reasons).toContainEqual(expect.objectContaining({ kind: 'ASSET', text: 'pc-eng-004 is a critical asset (finance server): severity raised one level' }));
  });

  it('names an IOC hit and recommends blocking the destination it was let through to', async () => {
    const hit: IocHit = { indicatorId: 'i1', listId: 'l1', listName: 'C2 servers', source: 'JPCERT', tlp: 'AMBER', type: 'IPV4', value: '203.0.113.9', field: 'destination.ip', confidence: 85 };
    const { sut, ctx } = setup({ iocHits: [hit] });
    const alert = alertOf({ product: 'FORTIGATE', blocked: false, ecs: { source: { ip: '10.0.0.5' }, destination: { ip: '203.0.113.9' } } });
    await sut.analyse(ctx.tx, [alert]);
    const v = ctx.verdicts().get(alert.body.alertId)!;
    expect(v.severity).toBe('HIGH');
    expect(v.endpoints).toEqual([{ hostName: null, ip: '10.0.0.5' }]);
    expect(v.reasons[0]).toEqual({ kind: 'IOC', text: 'destination.ip 203.0.113.9 is on the IOC list "C2 servers" (source JPCERT, confidence 85)', textJa: 'destination.ip の 203.0.113.9 が IOC リスト「C2 servers」に該当します（提供元 JPCERT、確度 85）', attackTechniques: [] });
    expect(v.actions.map((a) => a.text)).toContain('Block the destination (IP address, domain or URL) at the firewall or proxy');
    expect(ctx.grouper.assign).toHaveBeenCalledWith(ctx.tx, expect.objectContaining({ iocValues: ['203.0.113.9'], hostIp: '10.0.0.5', ruleKey: 'Suspicious PowerShell' }));
  });

  it('refuses an alert without a customer as a permanent failure (dead-lettered), writing nothing', async () => {
    const { sut, ctx } = setup();
    await expect(sut.analyse(ctx.tx, [{ ...alertOf(), customerId: null }])).rejects.toMatchObject({ name: 'PermanentEventError', message: expect.stringContaining('names no customer') });
    expect(ctx.verdicts().size).toBe(0);
  });
});
