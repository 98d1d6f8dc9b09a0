import { HealthController, HealthRegistry } from './health';

// /health/ready is answered to probes inside the cluster, but what it says may end up anywhere
// (a dashboard, a ticket): it names the failed dependency, never its host or port.
describe('/health/ready', () => {
  it('names each failed dependency with failed or timeout, not the error that names its address', async () => {
    const registry = new HealthRegistry();
    registry.register('postgres', async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 10.20.30.40:5432'), { code: 'ECONNREFUSED', address: '10.20.30.40', port: 5432 });
    });
    registry.register('subgraph:contracts', () => new Promise(() => undefined));
    registry.register('nats', async () => undefined);
    let status = 0;
    let body: unknown;
    const reply = {
      status(code: number) {
        status = code;
        return reply;
      },
      send(b: unknown) {
        body = b;
      },
    };
    const controller = new HealthController(registry);
    const run = registry.run.bind(registry);
    jest.spyOn(registry, 'run').mockImplementation(() => run(50));
    await controller.ready(reply);
    expect(status).toBe(503);
    expect(body).toEqual({ status: 'unavailable', checks: { postgres: 'failed', 'subgraph:contracts': 'timeout', nats: 'ok' } });
    expect(JSON.stringify(body)).not.toMatch(/10\.20\.30\.40|5432|ECONNREFUSED/);
  });
});
