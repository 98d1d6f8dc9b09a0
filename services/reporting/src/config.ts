import { loadPlatformConfig, port } from '@kanshi/config';

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadPlatformConfig('reporting', { PORT: port(4106) }, env);
}
export type ReportingConfig = ReturnType<typeof loadConfig>;
