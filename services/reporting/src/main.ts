import 'reflect-metadata';
import { createServiceApp, runService } from '@kanshi/platform';
import { AppModule } from './app.module';
import { loadConfig } from './config';

void runService('reporting', async () => {
  const config = loadConfig();
  const app = await createServiceApp(AppModule.forRoot(config), { service: 'reporting', port: config.PORT, gatewaySecret: config.SUBGRAPH_SECRET });
  return { app, port: config.PORT };
});
