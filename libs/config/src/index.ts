export { ConfigError, parseConfig, loadPlatformConfig, checkPlatformConfig, platformSchema, str, optionalStr, int, port, bool, url } from './config';
export type { Field, Schema, Parsed, PlatformConfig } from './config';
