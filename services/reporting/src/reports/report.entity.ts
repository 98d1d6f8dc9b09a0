import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ReportKindValue } from '@kanshi/events';

// The languages a report is rendered in.
export const REPORT_LANGUAGES = ['ja', 'en'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

// An analysis report's editions (incident.analysis-report.requested.v1 asks for one).
export const REPORT_EDITIONS = ['FIRST', 'DETAILED'] as const;
export type ReportEdition = (typeof REPORT_EDITIONS)[number];

// Where a report's PDF bytes are kept.
export const REPORT_STORAGES = ['postgres', 's3'] as const;
export type ReportStorageKind = (typeof REPORT_STORAGES)[number];

// One version of one PDF document. Regenerating a document adds a version (same kind and
// subjectRef, version + 1) and keeps the earlier ones.
@Entity({ schema: 'reporting', name: 'report' })
export class ReportEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  // The customer it is for; null for a partner's own invoice (then ownerPartnerId is set).
  @Column({ name: 'customer_id', type: 'uuid', nullable: true }) customerId: string | null;
  // A document that belongs to a partner (its invoice): only that partner and provider staff see it.
  @Column({ name: 'owner_partner_id', type: 'uuid', nullable: true }) ownerPartnerId: string | null;
  @Column({ type: 'text' }) kind: ReportKindValue;
  @Column() title: string;
  @Column({ type: 'text', default: 'ja' }) language: ReportLanguage;
  // What it is about: an incident, a quote or an invoice id; null for a monthly report.
  @Column({ name: 'subject_id', type: 'uuid', nullable: true }) subjectId: string | null;
  // The month it covers ("2026-11"), for a monthly report or an invoice.
  @Column({ type: 'text', nullable: true }) period: string | null;
  @Column({ type: 'text', nullable: true }) edition: ReportEdition | null;
  // The version key: versions of the same document share it (see ReportStore.subjectRefOf).
  @Column({ name: 'subject_ref', type: 'text', nullable: true }) subjectRef: string | null;
  @Column({ type: 'int', default: 1 }) version: number;
  // Made before the period closed (a month in progress): every page says so.
  @Column({ type: 'boolean', default: false }) provisional: boolean;
  @Column({ type: 'jsonb', default: {} }) metadata: Record<string, unknown>;
  @Column({ type: 'text', nullable: true }) sha256: string | null;
  @Column({ name: 'size_bytes', type: 'int', nullable: true }) sizeBytes: number | null;
  @Column({ type: 'text', default: 'postgres' }) storage: ReportStorageKind;
  @Column({ name: 'storage_key', type: 'text', nullable: true }) storageKey: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
