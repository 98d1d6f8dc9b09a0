// Every vendor sample in the project through ingestion's real parsers, then the shipped rule pack:
// which rules fire on which sample. Rules must use the ECS fields the parsers actually emit.
import { CorrelationEngine } from '../../services/analysis/src/rules/correlation/correlation-engine';
import { MemoryCorrelationStore } from '../../services/analysis/src/rules/correlation/correlation-store';
import { RuleSet } from '../../services/analysis/src/rules/evaluation/rule-set';
import { readPack } from '../../services/analysis/src/rules/pack/rule-pack';
import { parsedSamples, SAMPLE_FILES, VENDOR_SAMPLES, type ParsedSample } from './vendor-samples';

const pack = RuleSet.compile(readPack().map((f, k) => ({ id: f.file.replace(/\.yml$/, ''), version: k + 1, yaml: f.yaml })));
const samples = parsedSamples();

async function firing(events: ParsedSample[], engine = new CorrelationEngine(new MemoryCorrelationStore())): Promise<string[]> {
  let fired: string[] = [];
  for (const s of events) {
    const { matches, failures } = await pack.set.evaluate(null, { customerId: 'c1', product: s.product, ecs: s.event.ecs, at: s.event.occurredAt }, engine);
    expect(failures).toEqual([]);
    fired = matches.map((m) => m.ruleId).sort();
  }
  return fired;
}

const sample = (name: string): ParsedSample => {
  const s = samples.events.find((e) => e.name === name);
  if (!s) throw new Error(`no sample ${name}`);
  return s;
};

// What the pack says about each sample alone (no correlation has anything to count yet).
const EXPECTED: Record<string, string[]> = {
  'carbonblack-alert-v7.json#1': ['edr-high-severity-detection'],
  'carbonblack-watchlist-v7.json#1': ['office-or-script-host-spawns-powershell'],
  'crowdstrike-detection-summary.json#1': ['credential-dumping-lsass', 'edr-high-severity-detection'],
  'crowdstrike-epp-alert.json#1': ['edr-high-severity-detection'],
  'cybereason-malop.json#1': ['edr-high-severity-detection'],
  'fireeye-cef.log#1': ['fireeye-malware-callback'],
  'fireeye-cm-aggregated.json#1': ['fireeye-malware-callback'],
  'fireeye-cm-aggregated.json#2': ['fireeye-malware-object'],
  'fireeye-cm-camelcase.json#1': ['fireeye-malware-object'],
  'fireeye-cm-text-concise.txt#1': ['fireeye-malware-object'],
  'fireeye-cm-text-concise.txt#2': ['fireeye-malware-callback'],
  'fireeye-ex-email.json#1': ['fireeye-malware-object'],
  'fireeye-ex-text-normal.txt#1': ['fireeye-malware-object'],
  'fireeye-ex-url.json#1': ['fireeye-malware-object'],
  'fireeye-hx.json#1': ['edr-high-severity-detection'],
  'fireeye-mail-body.txt#2': ['fireeye-malware-callback'],
  'fireeye-nx-extended.json#1': ['fireeye-malware-callback'],
  'fireeye-nx-text-normal.txt#1': ['fireeye-malware-callback'],
  'fortigate-more.log#6': ['fortigate-ips-exploit'],
  'fortigate-utm.log#1': ['fortigate-ips-exploit'],
  'paloalto-panos10.log#3': ['paloalto-threat-command-and-control'],
  'paloalto-panos10.log#6': ['paloalto-threat-exploit'],
  'paloalto-threat.log#1': ['paloalto-threat-exploit'],
  'symantec-sep-ja.sjis.log#1': ['antivirus-malware-not-removed'],
  'trendmicro-leef.log#3': ['antivirus-malware-not-removed'],
};

describe('the shipped pack on the project vendor samples', () => {
  it('compiles every rule', () => {
    expect(pack.broken).toEqual([]);
  });

  it('covers every sample file kept in the project', () => {
    expect(Object.keys(VENDOR_SAMPLES).sort()).toEqual(SAMPLE_FILES());
    // The one deliberately damaged FortiGate line (no logid) is quarantined by ingestion.
    expect(samples.refused).toEqual(['fortigate-more.log record 8']);
  });

  it.each(samples.events.map((s) => [s.name, s] as const))('%s', async (name, s) => {
    expect(await firing([s])).toEqual(EXPECTED[name] ?? []);
  });

  it('names only samples that exist', () => {
    const names = new Set(samples.events.map((s) => s.name));
    expect(Object.keys(EXPECTED).filter((n) => !names.has(n))).toEqual([]);
  });

  it('raises the NX-then-antivirus sequence for the FireEye NX callback and the later SEP detection on the same host', async () => {
    const nx = sample('fireeye-cef.log#1');
    const sep = sample('symantec-sep-more.log#4');
    expect(nx.event.ecs.host).toMatchObject({ ip: ['10.20.30.41'] });
    const at = (s: ParsedSample, iso: string): ParsedSample => ({ ...s, event: { ...s.event, occurredAt: new Date(iso) } });
    const engine = new CorrelationEngine(new MemoryCorrelationStore());
    expect(await firing([at(nx, '2026-11-20T01:00:00Z')], engine)).toEqual(['fireeye-malware-callback']);
    expect(await firing([at(sep, '2026-11-20T01:20:00Z')], engine)).toEqual(['nx-then-antivirus-same-host']);
    // The other way round, or too late, is no sequence.
    const late = new CorrelationEngine(new MemoryCorrelationStore());
    await firing([at(nx, '2026-11-20T01:00:00Z')], late);
    expect(await firing([at(sep, '2026-11-20T01:31:00Z')], late)).toEqual([]);
  });

  it('counts three antivirus detections on one host as repeated', async () => {
    const sep = sample('symantec-sep-more.log#4');
    const engine = new CorrelationEngine(new MemoryCorrelationStore());
    const times = ['2026-11-20T01:00:00Z', '2026-11-20T05:00:00Z', '2026-11-20T09:00:00Z'];
    const fired = [];
    for (const t of times) fired.push(await firing([{ ...sep, event: { ...sep.event, occurredAt: new Date(t) } }], engine));
    expect(fired).toEqual([[], [], ['repeated-antivirus-detections']]);
  });
});
