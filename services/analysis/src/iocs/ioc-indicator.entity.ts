import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { IocType, Tlp } from './ioc-kinds';

// One value of a list, normalized (ioc-values.ts); unique per (list, type, value).
@Entity({ schema: 'analysis', name: 'ioc_indicator' })
export class IocIndicatorEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'list_id', type: 'uuid' }) listId: string;
  @Column({ type: 'text' }) type: IocType;
  @Column() value: string;
  @Column({ type: 'smallint' }) confidence: number;
  @Column({ name: 'valid_from', type: 'timestamptz', nullable: true }) validFrom: Date | null;
  @Column({ name: 'valid_until', type: 'timestamptz', nullable: true }) validUntil: Date | null;
  @Column({ type: 'text', nullable: true }) tlp: Tlp | null;
  @Column({ name: 'stix_id', type: 'text', nullable: true }) stixId: string | null;
  @Column({ type: 'text' }) description: string;
  @Column({ type: 'text', array: true }) labels: string[];
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
