import { IncidentUpdatedBody } from '@kanshi/events';
import { VerdictFact } from '../report-data/report-facts';
import { buildAnalysisReportView } from './analysis-report.view';

const incident = (over: Partial<IncidentUpdatedBody> = {}): IncidentUpdatedBody => ({
  incidentId: 'i1',
  version: 1,
  kind: 'SECURITY',
  severity: 'HIGH',
  status: 'NOTIFIED',
  title: 'Beacon',
  openedAt: '2026-11-03T01:00:00Z',
  resolvedAt: null,
  groupId: null,
  sensorId: null,
  verdictIds: [],
  alertIds: [],
  sla: [],
  findings: { whatIsHappening: null, howDangerous: null, whatToDo: null },
  timeline: [],
  ...over,
});

const verdict = (over: Partial<VerdictFact> = {}): VerdictFact => ({
  verdictId: 'v1',
  customerId: 'c1',
  decidedAt: new Date('2026-11-03T01:00:00Z'),
  severity: 'HIGH',
  sensorId: 's1',
  sensorName: 'NX-01',
  product: 'FIREEYE_NX',
  category: ['malware'],
  signature: 'Backdoor',
  blocked: false,
  alertIds: ['a1', 'a2'],
  reasons: [
    { kind: 'RULE', text: 'Beacon callback', textJa: 'ビーコン通信', attackTechniques: ['T1071'] },
    { kind: 'IOC', text: 'Known C2', textJa: '既知の C2', attackTechniques: [] },
    { kind: 'REPUTATION', text: '52/70 engines', textJa: '70 中 52', attackTechniques: [] },
  ],
  actions: [{ text: 'Isolate the host', textJa: '端末を隔離' }],
  endpoints: [{ hostName: 'PC-1', ip: '10.0.0.1' }],
  ...over,
});

const build = (over: Partial<Parameters<typeof buildAnalysisReportView>[0]> = {}) =>
  buildAnalysisReportView({ lang: 'ja', edition: 'FIRST', customerName: 'C', generatedAt: new Date(), incident: incident(), verdicts: [verdict()], isolations: [], ...over });

describe('buildAnalysisReportView', () => {
  it('answers the three questions from the verdicts, in Japanese, when no analyst wrote them', () => {
    const v = build();
    expect(v.whatIsHappening).toEqual({ paragraphs: ['ビーコン通信'], fromAnalyst: false });
    expect(v.howDangerous).toEqual({ paragraphs: ['70 中 52'], fromAnalyst: false });
    expect(v.whatToDo).toEqual({ paragraphs: ['端末を隔離'], fromAnalyst: false });
    expect(v.scanResults).toEqual(['70 中 52']);
    expect(v.iocs).toEqual(['既知の C2']);
  });

  it('uses English texts for an English report, and the analysts’ findings (by paragraph) once written', () => {
    const v = build({ lang: 'en', incident: incident({ findings: { whatIsHappening: 'Emotet.\n\nSpreading.', howDangerous: '  ', whatToDo: null } }) });
    expect(v.whatIsHappening).toEqual({ paragraphs: ['Emotet.', 'Spreading.'], fromAnalyst: true });
    expect(v.howDangerous).toEqual({ paragraphs: ['52/70 engines'], fromAnalyst: false });
    expect(v.whatToDo.paragraphs).toEqual(['Isolate the host']);
  });

  it('says blocked only when every verdict was blocked, not blocked when one got through, unknown otherwise', () => {
    expect(build({ verdicts: [verdict({ blocked: true }), verdict({ blocked: true })] }).blocked).toBe(true);
    expect(build({ verdicts: [verdict({ blocked: true }), verdict({ blocked: false })] }).blocked).toBe(false);
    expect(build({ verdicts: [verdict({ blocked: true }), verdict({ blocked: null })] }).blocked).toBeNull();
    expect(build({ verdicts: [] }).blocked).toBeNull();
  });

  it('lists each endpoint once and the related alerts with their counts', () => {
    const v = build({ verdicts: [verdict(), verdict({ verdictId: 'v2', endpoints: [{ hostName: 'PC-1', ip: '10.0.0.1' }, { hostName: null, ip: null }, { hostName: null, ip: '10.0.0.2' }] })] });
    expect(v.endpoints).toEqual([
      { hostName: 'PC-1', ip: '10.0.0.1' },
      { hostName: null, ip: '10.0.0.2' },
    ]);
    expect(v.relatedAlerts).toHaveLength(2);
    expect(v.relatedAlerts[0]).toMatchObject({ sensor: 'NX-01', alerts: 2, signature: 'Backdoor' });
    expect(v.whatIsHappening.paragraphs).toEqual(['ビーコン通信']);
  });
});
