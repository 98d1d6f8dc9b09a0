import { yearEndClosureSetting } from '@kanshi/calendar';
import { int, loadPlatformConfig, port } from '@kanshi/config';
import { NOTIFY_CONFIG } from './notify-config';

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadPlatformConfig(
    'incident',
    {
      PORT: port(4104),
      // The provider's year-end closure for SLA business days: MM-DD..MM-DD or "none".
      YEAR_END_CLOSURE: yearEndClosureSetting(),
      // How often the SLA scheduler looks for due clocks (once across replicas per interval).
      SLA_CHECK_INTERVAL_MS: int({ default: 15_000, min: 1000, max: 3_600_000 }),
      // Verdicts handled at once (each in its own transaction; one alert group's in order).
      VERDICT_CONCURRENCY: int({ default: 4, min: 1, max: 32 }),
      ...NOTIFY_CONFIG,
    },
    env,
  );
}
export type IncidentConfig = ReturnType<typeof loadConfig>;
