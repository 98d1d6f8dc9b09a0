import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ReportKindValue } from '@kanshi/events';

// The languages a report is rendered in.
export const REPORT_LANGUAGES = ['ja', 'en'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

@Entity({ schema: 'reporting', name: 'report' })
export class ReportEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ type: 'text' }) kind: ReportKindValue;
  @Column() title: string;
  @Column({ type: 'text', default: 'ja' }) language: ReportLanguage;
  // What the report is about: an incident, a quote, an invoice, or a month ("2026-11").
  @Column({ name: 'subject_ref', type: 'text', nullable: true }) subjectRef: string | null;
  @Column({ type: 'text', nullable: true }) sha256: string | null;
  @Column({ name: 'size_bytes', type: 'int', nullable: true }) sizeBytes: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
