import { counter } from '@kanshi/observability';

// Resends answered from intake_request, nothing stored (by transport and what the key was).
export const replayed = counter('kanshi_ingest_requests_replayed_total', 'Intake requests recognised as resends: answered with the first answer, nothing stored', ['transport', 'key']);
