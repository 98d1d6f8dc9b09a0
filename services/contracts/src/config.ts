import { loadPlatformConfig, port } from '@kanshi/config';

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadPlatformConfig('contracts', { PORT: port(4101) }, env);
}
export type ContractsConfig = ReturnType<typeof loadConfig>;
