import { ConfigError, int, loadPlatformConfig, optionalStr, port, url } from '@kanshi/config';

const schema = {
  PORT: port(4103),
  // Sample reputation (VirusTotal API v3 file reports). Without a key the lookups are off.
  VIRUSTOTAL_API_KEY: optionalStr(),
  // Tests and the demo point this at a local server speaking the same API.
  VIRUSTOTAL_URL: url({ default: 'https://www.virustotal.com', protocols: ['https:', 'http:'] }),
  VIRUSTOTAL_TIMEOUT_MS: int({ default: 10_000, min: 100, max: 120_000 }),
  // How long an answer is reused; a hash VirusTotal does not know is asked again sooner.
  VIRUSTOTAL_CACHE_TTL_HOURS: int({ default: 24, min: 1, max: 24 * 90 }),
  VIRUSTOTAL_NOT_FOUND_TTL_HOURS: int({ default: 6, min: 1, max: 24 * 90 }),
  // The key's quota: 4 a minute and 500 a day on a public key (0: no daily limit). The window
  // is a minute; tests shorten it.
  VIRUSTOTAL_REQUESTS_PER_MINUTE: int({ default: 4, min: 1, max: 100_000 }),
  VIRUSTOTAL_REQUESTS_PER_DAY: int({ default: 500, min: 0 }),
  VIRUSTOTAL_QUOTA_WINDOW_MS: int({ default: 60_000, min: 100, max: 3_600_000 }),
  // A lookup waits at most this long for a quota slot (and at most QUEUE_SIZE lookups wait);
  // past that it answers null and the hash is fetched by a background job.
  VIRUSTOTAL_MAX_WAIT_MS: int({ default: 2_000, min: 0, max: 600_000 }),
  VIRUSTOTAL_QUEUE_SIZE: int({ default: 100, min: 0, max: 100_000 }),
  // Alerts of one customer, rule and host this close together share a group; a group with no new
  // alert for this long closes.
  ALERT_GROUP_WINDOW_MINUTES: int({ default: 60, min: 1, max: 7 * 24 * 60 }),
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadPlatformConfig('analysis', schema, env);
  const problems: string[] = [];
  if (config.VIRUSTOTAL_API_KEY !== undefined && !/^[\x21-\x7e]+$/.test(config.VIRUSTOTAL_API_KEY)) {
    problems.push('VIRUSTOTAL_API_KEY must be printable ASCII without spaces');
  }
  if (config.VIRUSTOTAL_REQUESTS_PER_DAY > 0 && config.VIRUSTOTAL_REQUESTS_PER_DAY < config.VIRUSTOTAL_REQUESTS_PER_MINUTE) {
    problems.push(`VIRUSTOTAL_REQUESTS_PER_DAY (${config.VIRUSTOTAL_REQUESTS_PER_DAY}) must be 0 or at least VIRUSTOTAL_REQUESTS_PER_MINUTE (${config.VIRUSTOTAL_REQUESTS_PER_MINUTE})`);
  }
  if (problems.length) throw new ConfigError('analysis', problems);
  return config;
}
export type AnalysisConfig = ReturnType<typeof loadConfig>;
