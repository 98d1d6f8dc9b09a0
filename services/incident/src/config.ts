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
      // Most verdicts taken in one transaction (a backlog is worked off in batches this big; a
      // consumer that keeps up takes what arrived during the previous batch).
      VERDICT_BATCH_MAX: int({ default: 200, min: 1, max: 1000 }),
      ...NOTIFY_CONFIG,
    },
    env,
  );
}
export type IncidentConfig = ReturnType<typeof loadConfig>;
