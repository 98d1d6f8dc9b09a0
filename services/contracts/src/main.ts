import 'reflect-metadata';
import { createServiceApp, runService } from '@kanshi/platform';
import { AppModule } from './app.module';
import { loadConfig, PUBLIC_ROUTES } from './config';

void runService('contracts', async () => {
  const config = loadConfig();
  const app = await createServiceApp(AppModule.forRoot(config), { service: 'contracts', port: config.PORT, publicRoutes: PUBLIC_ROUTES, gatewaySecret: config.SUBGRAPH_SECRET, rawBody: true });
  return { app, port: config.PORT, publicPort: config.PUBLIC_PORT };
});
