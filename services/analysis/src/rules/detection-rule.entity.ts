import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { SocSeverity } from '@kanshi/events';

// A provider-wide rule: which alerts matter and how severe they are. Tenants never see rules.
@Entity({ schema: 'analysis', name: 'detection_rule' })
export class DetectionRuleEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() name: string;
  @Column({ type: 'text', default: '' }) description: string;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) products: string[];
  @Column({ type: 'text' }) severity: SocSeverity;
  // Matching condition on normalized (ECS) alert fields, e.g. {"field":"event.severity","gte":73}.
  @Column({ type: 'jsonb' }) condition: Record<string, unknown>;
  @Column({ type: 'boolean', default: true }) enabled: boolean;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
