import 'reflect-metadata';
import './telemetry';
import { authSettingsOf, JwtVerifier } from '@kanshi/auth';
import { HealthRegistry } from '@kanshi/observability';
import { createServiceApp, runService } from '@kanshi/platform';
import { loadConfig } from './config';
import { createGatewayServer, subgraphUrls } from './gateway.server';
import { GatewayModule } from './gateway.module';

void runService('gateway', async () => {
  const config = loadConfig();
  const verifier = new JwtVerifier(authSettingsOf(config));
  const app = await createServiceApp(GatewayModule, { service: 'gateway', port: config.PORT, bodyLimitBytes: config.BODY_LIMIT_BYTES, correlationContext: false });
  const gw = await createGatewayServer(config, verifier);
  gw.register(app.getHttpAdapter().getInstance());
  // Ready when every subgraph answers its liveness probe.
  const health = app.get(HealthRegistry);
  for (const { name, url } of subgraphUrls(gw.supergraphSdl)) {
    health.register(`subgraph:${name}`, async () => {
      // /health/ready names the subgraph, never its internal host and port.
      const res = await fetch(new URL('/health/live', url)).catch(() => null);
      if (!res) throw new Error(`${name} is unreachable`);
      if (!res.ok) throw new Error(`${name} answered ${res.status}`);
    });
  }
  return { app, port: config.PORT };
});
