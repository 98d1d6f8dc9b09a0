import 'reflect-metadata';
import { IsISO8601, IsObject, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

// Every event on the bus has this shape; `body` is validated against the event's own class.
export class EventEnvelope<TBody = Record<string, unknown>> {
  @IsUUID()
  eventId: string;

  @IsString()
  subject: string;

  @IsISO8601({ strict: true })
  occurredAt: string;

  // The tenant: the customer the fact belongs to; null for provider-wide facts (a catalogue change).
  @IsOptional()
  @IsUUID()
  customerId: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  correlationId?: string;

  @IsObject()
  body: TBody;
}

export type StreamName = 'INGESTION' | 'INGESTION_LOGS' | 'ANALYSIS' | 'INCIDENT' | 'RESPONSE' | 'REPORTING' | 'CONTRACTS' | 'AUDIT';

export interface EventDefinition<TBody> {
  // `<domain>.<entity>.<past-tense>.v<N>`, without the environment namespace.
  subject: string;
  stream: StreamName;
  body: new () => TBody;
}

export function defineEvent<TBody>(subject: string, stream: StreamName, body: new () => TBody): EventDefinition<TBody> {
  if (!/^[a-z-]+\.[a-z-]+\.[a-z-]+\.v\d+$/.test(subject)) throw new Error(`event subject "${subject}" is not <domain>.<entity>.<past-tense>.v<N>`);
  return { subject, stream, body };
}

export interface StreamDefinition {
  name: StreamName;
  subjects: string[];
  // Bounded streams for bulk data: JetStream drops the oldest once these are reached.
  maxBytes?: number;
  maxAgeSeconds?: number;
}

export const STREAMS: Record<StreamName, StreamDefinition> = {
  INGESTION: { name: 'INGESTION', subjects: ['ingestion.alert.>', 'ingestion.sensor.>'] },
  INGESTION_LOGS: { name: 'INGESTION_LOGS', subjects: ['ingestion.log.>'], maxBytes: 2 * 1024 ** 3, maxAgeSeconds: 24 * 3600 },
  ANALYSIS: { name: 'ANALYSIS', subjects: ['analysis.>'] },
  INCIDENT: { name: 'INCIDENT', subjects: ['incident.>'] },
  RESPONSE: { name: 'RESPONSE', subjects: ['response.>'] },
  REPORTING: { name: 'REPORTING', subjects: ['reporting.>'] },
  CONTRACTS: { name: 'CONTRACTS', subjects: ['contracts.>'] },
  // Who read or changed a customer's data, and what each service deleted when its retention ended.
  AUDIT: { name: 'AUDIT', subjects: ['audit.>'] },
};
