import 'reflect-metadata';
import { createServiceApp, runService } from '@kanshi/platform';
import { AppModule } from './app.module';
import { loadConfig } from './config';

void runService('endpoint-response', async () => {
  const config = loadConfig();
  const app = await createServiceApp(AppModule.forRoot(config), { service: 'endpoint-response', port: config.PORT, gatewaySecret: config.SUBGRAPH_SECRET });
  return { app, port: config.PORT };
});
