import { EVENT_CATALOGUE } from './catalogue';
import { STREAMS } from './envelope';
import { parseEnvelope } from '../../messaging/src/event-consumer';
import { ContractActivated } from './contracts.events';

function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

describe('event catalogue', () => {
  it('names every event <domain>.<entity>.<past-tense>.v<N>, once', () => {
    const subjects = EVENT_CATALOGUE.map((e) => e.subject);
    expect(new Set(subjects).size).toBe(subjects.length);
    expect(subjects).toEqual(expect.arrayContaining(['contracts.contract.activated.v1', 'ingestion.alert.received.v1', 'analysis.verdict.issued.v1', 'response.endpoints.counted.v1']));
  });

  it('puts every event on exactly the stream it declares', () => {
    for (const e of EVENT_CATALOGUE) {
      const owners = Object.values(STREAMS).filter((s) => s.subjects.some((p) => subjectMatches(p, e.subject)));
      expect(owners.map((s) => s.name)).toEqual([e.stream]);
    }
  });

  it('validates a body against its class and names the bad field', async () => {
    const envelope = {
      eventId: '3f1c2a4e-8a55-4c55-9c1e-6f7b0c1d2e3f',
      subject: ContractActivated.subject,
      occurredAt: '2026-11-28T01:00:00.000Z',
      customerId: '5d0b7ad1-7c3f-4d61-9a4f-2f1d9a0e8b11',
      body: { contractId: 'nope', plan: 'MDR' },
    };
    await expect(parseEnvelope(ContractActivated, Buffer.from(JSON.stringify(envelope)))).rejects.toThrow(/body: contractId: contractId must be a UUID/);
  });
});
