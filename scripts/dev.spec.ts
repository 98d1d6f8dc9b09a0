import { DEV_USAGE, parseDevArgs } from './dev';

describe('npm run dev', () => {
  it('watches one service, or the gateway, on its port of the suite', () => {
    expect(parseDevArgs(['ingestion'])).toEqual({ name: 'ingestion', port: 4102, sources: ['services/ingestion', 'libs'] });
    expect(parseDevArgs(['endpoint-response'])).toMatchObject({ port: 4105, sources: ['services/endpoint-response', 'libs'] });
    expect(parseDevArgs(['gateway'])).toEqual({ name: 'gateway', port: 4000, sources: ['gateway', 'libs'] });
  });

  it.each([
    [[], 'which service?'],
    [['ingest'], 'unknown service "ingest"'],
    [['ingestion', 'contracts'], 'one service at a time (got ingestion contracts)'],
  ])('rejects %j, and the usage names every valid service', (argv, message) => {
    expect(() => parseDevArgs(argv)).toThrow(message);
    expect(DEV_USAGE).toBe('usage: npm run dev -- <service>, one of contracts, ingestion, analysis, incident, endpoint-response, reporting, gateway');
  });
});
