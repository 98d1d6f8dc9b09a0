import { loadPlatformConfig, port } from '@kanshi/config';

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadPlatformConfig('ingestion', { PORT: port(4102) }, env);
}
export type IngestionConfig = ReturnType<typeof loadConfig>;
