// Matching an alert's ECS fields against the in-memory index: global and own lists, expiry, CIDRs.
import { IocIndex } from './ioc-index';
import { IocMatcher } from './ioc-matcher';
import { IndexedIndicatorRow, IocsRepository } from './iocs.repository';

const AT = new Date('2026-12-01T00:00:00Z');
let n = 0;
const row = (over: Partial<IndexedIndicatorRow>): IndexedIndicatorRow => ({
  id: `i${++n}`,
  list_id: 'global',
  customer_id: null,
  list_name: 'Feed',
  source: 'feed.example',
  list_tlp: 'GREEN',
  tlp: null,
  type: 'IPV4',
  value: '198.51.100.7',
  confidence: 80,
  valid_from: null,
  valid_until: null,
  ...over,
});

function setup(rows: IndexedIndicatorRow[]) {
  return { sut: new IocIndex(rows) };
}

describe('IocIndex.match', () => {
  it('finds hashes, IPs, domains and URLs in the fields the parsers emit, naming the field', () => {
    const { sut } = setup([
      row({ id: 'sha', type: 'SHA256', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }),
      row({ id: 'md5', type: 'MD5', value: '44d88612fea8a8f36de82e1278abb02f' }),
      row({ id: 'ip', type: 'IPV4', value: '198.51.100.7' }),
      row({ id: 'dom', type: 'DOMAIN', value: 'evil.example' }),
      row({ id: 'url', type: 'URL', value: 'http://download.evil.example/payload.exe' }),
      row({ id: 'mail', type: 'DOMAIN', value: 'phish.example' }),
    ]);
    const ecs = {
      file: { hash: { sha256: 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' } },
      process: { hash: { md5: '44d88612fea8a8f36de82e1278abb02f' } },
      destination: { ip: '198.51.100.7' },
      dns: { question: { name: 'CDN.Evil.Example.' } },
      url: { original: 'download.evil.example:80/payload.exe' },
      email: { from: { address: ['ceo@phish.example'] } },
    };
    expect(sut.match('c1', ecs, AT).map((h) => [h.indicatorId, h.field])).toEqual([
      ['md5', 'process.hash.md5'],
      ['sha', 'file.hash.sha256'],
      ['ip', 'destination.ip'],
      ['dom', 'dns.question.name'],
      ['mail', 'email.from.address'],
      ['url', 'url.original'],
    ]);
  });

  it('answers a hit with the list, source, TLP (the stricter of list and indicator) and confidence', () => {
    const { sut } = setup([row({ id: 'x', list_id: 'L', list_name: 'Partner feed', source: 'isac', list_tlp: 'GREEN', tlp: 'RED', confidence: 42 })]);
    expect(sut.match('c1', { source: { ip: '198.51.100.7' } }, AT)).toEqual([
      { indicatorId: 'x', listId: 'L', listName: 'Partner feed', source: 'isac', tlp: 'RED', type: 'IPV4', value: '198.51.100.7', field: 'source.ip', confidence: 42 },
    ]);
  });

  it('matches IPs inside a CIDR, IPv4 and IPv6, and not outside', () => {
    const { sut } = setup([row({ id: 'v4', value: '203.0.113.0/24' }), row({ id: 'v6', type: 'IPV6', value: '2001:db8::/32' }), row({ id: 'wide', value: '10.0.0.0/8' })]);
    expect(sut.match('c1', { source: { ip: '203.0.113.200' }, destination: { ip: '2001:DB8:1::5' } }, AT).map((h) => h.indicatorId)).toEqual(['v4', 'v6']);
    expect(sut.match('c1', { source: { ip: '203.0.114.1' }, destination: { ip: '2001:db9::1' } }, AT)).toEqual([]);
    expect(sut.match('c1', { related: { ip: ['10.200.3.4'] } }, AT).map((h) => h.field)).toEqual(['related.ip']);
  });

  it("uses global lists and the customer's own, never another customer's", () => {
    const { sut } = setup([row({ id: 'global' }), row({ id: 'mine', customer_id: 'c1' }), row({ id: 'theirs', customer_id: 'c2' })]);
    expect(sut.match('c1', { destination: { ip: '198.51.100.7' } }, AT).map((h) => h.indicatorId)).toEqual(['global', 'mine']);
  });

  it('ignores indicators not yet valid or expired at the alert time', () => {
    const { sut } = setup([
      row({ id: 'expired', valid_until: new Date('2026-11-30T00:00:00Z') }),
      row({ id: 'future', valid_from: new Date('2026-12-02T00:00:00Z') }),
      row({ id: 'ok', valid_from: new Date('2026-11-01T00:00:00Z'), valid_until: new Date('2026-12-31T00:00:00Z') }),
    ]);
    expect(sut.match('c1', { destination: { ip: '198.51.100.7' } }, AT).map((h) => h.indicatorId)).toEqual(['ok']);
  });

  it('reports an indicator once however many fields carry it, and a parent domain does not match a sibling', () => {
    const { sut } = setup([row({ id: 'd', type: 'DOMAIN', value: 'evil.example' })]);
    expect(sut.match('c1', { url: { domain: 'evil.example', full: 'https://evil.example/x' }, destination: { domain: 'evil.example' } }, AT)).toHaveLength(1);
    expect(sut.match('c1', { url: { domain: 'notevil.example' } }, AT)).toEqual([]);
  });
});

describe('IocMatcher', () => {
  function matcherSetup() {
    let revision = 1;
    let rows = [row({ id: 'first' })];
    const repo = { revision: jest.fn(async () => String(revision)), indexable: jest.fn(async () => rows) };
    const sut = new IocMatcher(repo as unknown as IocsRepository);
    return { sut, ctx: { repo, set: (r: IndexedIndicatorRow[]) => ((rows = r), revision++) } };
  }

  it('loads once and answers later alerts from memory', async () => {
    const { sut, ctx } = matcherSetup();
    for (let i = 0; i < 5; i++) expect(await sut.match('c1', { source: { ip: '198.51.100.7' } }, AT)).toHaveLength(1);
    expect(ctx.repo.indexable).toHaveBeenCalledTimes(1);
    expect(ctx.repo.revision).toHaveBeenCalledTimes(1);
  });

  it('reloads before the next match once invalidated', async () => {
    const { sut, ctx } = matcherSetup();
    await sut.match('c1', {}, AT);
    ctx.set([row({ id: 'second' })]);
    sut.invalidate();
    expect((await sut.match('c1', { source: { ip: '198.51.100.7' } }, AT)).map((h) => h.indicatorId)).toEqual(['second']);
  });

  it("picks up another replica's import (a new revision) after REFRESH_MS, without waiting for it", async () => {
    const { sut, ctx } = matcherSetup();
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    try {
      await sut.match('c1', {}, AT);
      ctx.set([row({ id: 'second' })]);
      expect((await sut.match('c1', { source: { ip: '198.51.100.7' } }, AT)).map((h) => h.indicatorId)).toEqual(['first']);
      now.mockReturnValue(1_000_000 + IocMatcher.REFRESH_MS + 1);
      await sut.match('c1', {}, AT); // starts the background poll
      await new Promise((r) => setImmediate(r));
      expect((await sut.match('c1', { source: { ip: '198.51.100.7' } }, AT)).map((h) => h.indicatorId)).toEqual(['second']);
      expect(ctx.repo.indexable).toHaveBeenCalledTimes(2);
    } finally {
      now.mockRestore();
    }
  });
});
