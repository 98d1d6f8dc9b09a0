// What every transport hands the pipeline (ingest.service.ts); the parse worker gets the same
// records in a form cheap to pass between threads (ParseInput in parse-batch.ts).
export type IntakeTransport = 'https' | 'udp' | 'tcp' | 'tls' | 'smtp' | 'replay';

// One record as a listener framed it: bytes off a socket (decoded by the parser, Shift_JIS and
// friends included) or text already decoded (a mail body split into lines or JSON documents).
export interface IntakeRecord {
  bytes?: Buffer;
  text?: string;
  receivedAt: Date;
  // refused before parsing (e.g. a mail without any alert text): quarantined as is
  rejectedReason?: string;
  // a mail's covering note (BodyRecord.note)
  note?: boolean;
}

export interface IntakeMeta {
  transport: IntakeTransport;
  remoteAddress: string | null;
}
