import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ContactLanguageCode, SocSeverity } from '@kanshi/events';
import { NotificationChannelValue, NotificationStatusValue } from './notification-kinds';

@Entity({ schema: 'incident', name: 'notification' })
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'incident_id', type: 'uuid' }) incidentId: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ type: 'text' }) severity: SocSeverity;
  @Column({ type: 'text' }) channel: NotificationChannelValue;
  @Column({ type: 'text' }) recipient: string;
  @Column({ name: 'contact_name', type: 'text' }) contactName: string;
  @Column({ type: 'text' }) language: ContactLanguageCode;
  @Column({ type: 'text' }) status: NotificationStatusValue;
  @Column({ type: 'int' }) attempts: number;
  @Column({ type: 'text' }) subject: string;
  @Column({ type: 'text' }) body: string;
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt: Date | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
