import { loadPlatformConfig, port } from '@kanshi/config';

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadPlatformConfig('analysis', { PORT: port(4103) }, env);
}
export type AnalysisConfig = ReturnType<typeof loadConfig>;
