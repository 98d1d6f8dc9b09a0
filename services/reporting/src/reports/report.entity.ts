import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ schema: 'reporting', name: 'report' })
export class ReportEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ type: 'text' }) kind: 'ANALYSIS' | 'MONTHLY' | 'QUOTE' | 'INVOICE';
  @Column() title: string;
  @Column({ type: 'text', default: 'ja' }) language: 'ja' | 'en';
  // What the report is about: an incident, a quote, an invoice, or a month ("2026-11").
  @Column({ name: 'subject_ref', type: 'text', nullable: true }) subjectRef: string | null;
  @Column({ type: 'text', nullable: true }) sha256: string | null;
  @Column({ name: 'size_bytes', type: 'int', nullable: true }) sizeBytes: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
