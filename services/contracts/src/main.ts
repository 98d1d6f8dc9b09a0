import 'reflect-metadata';
import { createServiceApp, runService } from '@kanshi/platform';
import { AppModule } from './app.module';
import { loadConfig } from './config';

void runService('contracts', async () => {
  const config = loadConfig();
  const app = await createServiceApp(AppModule.forRoot(config), { service: 'contracts', port: config.PORT, rawBody: true });
  return { app, port: config.PORT };
});
