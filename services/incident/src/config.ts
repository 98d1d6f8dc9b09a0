import { yearEndClosureSetting } from '@kanshi/calendar';
import { loadPlatformConfig, port } from '@kanshi/config';
import { NOTIFY_CONFIG } from './notify-config';

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadPlatformConfig(
    'incident',
    {
      PORT: port(4104),
      // The provider's year-end closure for SLA business days: MM-DD..MM-DD or "none".
      YEAR_END_CLOSURE: yearEndClosureSetting(),
      ...NOTIFY_CONFIG,
    },
    env,
  );
}
export type IncidentConfig = ReturnType<typeof loadConfig>;
