import { loadPlatformConfig, port } from '@kanshi/config';

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadPlatformConfig('incident', { PORT: port(4104) }, env);
}
export type IncidentConfig = ReturnType<typeof loadConfig>;
