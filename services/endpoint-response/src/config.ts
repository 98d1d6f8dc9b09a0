import { loadPlatformConfig, port } from '@kanshi/config';

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadPlatformConfig('endpoint-response', { PORT: port(4105) }, env);
}
export type EndpointResponseConfig = ReturnType<typeof loadConfig>;
