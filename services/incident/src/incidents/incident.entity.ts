import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { IncidentStatusValue, SocSeverity } from '@kanshi/events';

@Entity({ schema: 'incident', name: 'incident' })
export class IncidentEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ type: 'text' }) severity: SocSeverity;
  @Column({ type: 'text', default: 'NEW' }) status: IncidentStatusValue;
  @Column() title: string;
  @Column({ type: 'text', default: '' }) description: string;
  @Column({ name: 'opened_by', type: 'text' }) openedBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
