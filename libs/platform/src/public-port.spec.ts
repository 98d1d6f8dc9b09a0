import { Controller, Module, Post } from '@nestjs/common';
import { HealthModule } from '@kanshi/observability';
import { createServiceApp } from './bootstrap';
import { GATEWAY_SECRET_HEADER, isPublicPath, listenPublic } from './public-port';

@Controller()
class RoutesController {
  @Post('ingest/v1/sensors/:id/events')
  ingest() {
    return { accepted: 1 };
  }

  @Post('graphql')
  graphql() {
    return { data: { ok: true } };
  }
}

@Module({ imports: [HealthModule], controllers: [RoutesController] })
class TestModule {}

const SECRET = 'subgraph-secret-subgraph-secret-0123';

describe('public and internal ports', () => {
  let app: Awaited<ReturnType<typeof createServiceApp>>;
  let internal: string;
  let pub: string;

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'warn';
    app = await createServiceApp(TestModule, { service: 'port-split-spec', port: 0, publicRoutes: ['/ingest/'], gatewaySecret: SECRET });
    await app.listen(0, '127.0.0.1');
    internal = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    pub = await listenPublic(app, 0);
  });
  afterAll(() => app.close());

  it('serves the public routes on the public port only', async () => {
    expect((await fetch(`${pub}/ingest/v1/sensors/s1/events`, { method: 'POST' })).status).toBe(201);
    expect((await fetch(`${internal}/ingest/v1/sensors/s1/events`, { method: 'POST' })).status).toBe(404);
  });

  it('does not answer GraphQL, metrics or health on the public port', async () => {
    for (const [method, route] of [['POST', '/graphql'], ['GET', '/metrics'], ['GET', '/health/live'], ['GET', '/health/ready'], ['GET', '/nothing']]) {
      const res = await fetch(`${pub}${route}`, { method, headers: { [GATEWAY_SECRET_HEADER]: SECRET } });
      expect([route, res.status]).toEqual([route, 404]);
    }
    expect((await fetch(`${internal}/health/live`)).status).toBe(200);
    expect((await fetch(`${internal}/metrics`)).status).toBe(200);
  });

  it('answers subgraph GraphQL only with the gateway secret', async () => {
    const without = await fetch(`${internal}/graphql`, { method: 'POST' });
    expect(without.status).toBe(401);
    expect(((await without.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await fetch(`${internal}/graphql`, { method: 'POST', headers: { [GATEWAY_SECRET_HEADER]: `${SECRET}x` } })).status).toBe(401);
    expect((await fetch(`${internal}/graphql`, { method: 'POST', headers: { [GATEWAY_SECRET_HEADER]: SECRET } })).status).toBe(201);
  });

  it('matches whole path segments', () => {
    expect(isPublicPath('/ingest/v1/x?y=1', ['/ingest/'])).toBe(true);
    expect(isPublicPath('/ingest', ['/ingest/'])).toBe(true);
    expect(isPublicPath('/ingestion', ['/ingest/'])).toBe(false);
    expect(isPublicPath('/webhooks/stripe', ['/webhooks/stripe'])).toBe(true);
    expect(isPublicPath('/webhooks/stripe2', ['/webhooks/stripe'])).toBe(false);
  });

  it('closes the public listener with the app', async () => {
    const other = await createServiceApp(TestModule, { service: 'port-split-spec', port: 0, publicRoutes: ['/ingest/'] });
    await other.listen(0, '127.0.0.1');
    const url = await listenPublic(other, 0);
    await other.close();
    await expect(fetch(`${url}/ingest/v1/sensors/s1/events`, { method: 'POST' })).rejects.toThrow();
  });
});
