// STATE: the isolation changed status; VENDOR: one request to the EDR and its answer (secrets
// removed); NOTE: anything else worth knowing (shared containment, a refused command).
export const ISOLATION_LOG_KINDS = ['STATE', 'VENDOR', 'NOTE'] as const;
export type IsolationLogKindValue = (typeof ISOLATION_LOG_KINDS)[number];
