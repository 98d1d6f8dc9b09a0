import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { SocSeverity } from '@kanshi/events';
import type { LogSource, SigmaLevel } from './sigma/sigma-rule';

// A provider-wide rule in Sigma's YAML: which alerts matter and how severe they are. The columns
// beside the YAML are what the YAML says, kept for listing. Tenants never see rules.
@Entity({ schema: 'analysis', name: 'detection_rule' })
export class DetectionRuleEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  // The rule's title.
  @Column() name: string;
  @Column({ type: 'text', default: '' }) description: string;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) products: string[];
  @Column({ type: 'text' }) severity: SocSeverity;
  @Column({ type: 'text' }) yaml: string;
  @Column({ type: 'integer', default: 1 }) version: number;
  @Column({ type: 'text' }) level: SigmaLevel;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) tags: string[];
  @Column({ name: 'attack_techniques', type: 'text', array: true, default: () => "'{}'" }) attackTechniques: string[];
  @Column({ type: 'jsonb', default: () => "'{}'" }) logsource: LogSource;
  // The YAML's own id.
  @Column({ name: 'sigma_id', type: 'text', nullable: true }) sigmaId: string | null;
  // Shipped pack rules: the file, and the hash of its content when last applied.
  @Column({ name: 'pack_file', type: 'text', nullable: true }) packFile: string | null;
  @Column({ name: 'pack_hash', type: 'text', nullable: true }) packHash: string | null;
  // Why analysis turned the rule off (it threw on an alert, or left the pack).
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ type: 'boolean', default: true }) enabled: boolean;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_by', type: 'text', nullable: true }) updatedBy: string | null;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}
