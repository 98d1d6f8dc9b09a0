// The lists the notification tables and GraphQL enums derive from.
export const NOTIFICATION_CHANNELS = ['EMAIL', 'PHONE'] as const;
export type NotificationChannelValue = (typeof NOTIFICATION_CHANNELS)[number];
export const NOTIFICATION_STATUSES = ['PENDING', 'RETRYING', 'DELIVERED', 'FAILED'] as const;
export type NotificationStatusValue = (typeof NOTIFICATION_STATUSES)[number];
export const CALL_TASK_STATUSES = ['OPEN', 'REACHED', 'ACKNOWLEDGED', 'CANCELLED'] as const;
export type CallTaskStatusValue = (typeof CALL_TASK_STATUSES)[number];
// Why a call task exists: a HIGH severity, or a mail that could not be delivered.
export const CALL_TASK_REASONS = ['HIGH_SEVERITY', 'MAIL_FAILED'] as const;
export type CallTaskReasonValue = (typeof CALL_TASK_REASONS)[number];
// The seed's service levels: FE alert analysis (and SOC design, which has no alerts) contact by
// e-mail only; the other plans by phone and e-mail.
export const PHONE_PLANS = ['FE_SECURITY_MONITORING', 'MDR', 'INTEGRATED_MANAGEMENT'] as const;
// Twilio's CallStatus values.
export const VOICE_CALL_STATUSES = ['queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled'] as const;
export type VoiceCallStatus = (typeof VOICE_CALL_STATUSES)[number];
