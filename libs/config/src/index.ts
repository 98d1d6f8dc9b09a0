export { ConfigError, parseConfig, loadPlatformConfig, checkPlatformConfig, platformSchema, str, optionalStr, int, port, bool, url, cron, cronProblem, jwksUrlProblem } from './config';
export type { Field, Schema, Parsed, PlatformConfig } from './config';
