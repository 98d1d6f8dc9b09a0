import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Tlp } from './ioc-kinds';

// A named set of indicators from one source: global (customerId null, provider staff only) or one
// customer's own.
@Entity({ schema: 'analysis', name: 'ioc_list' })
export class IocListEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'customer_id', type: 'uuid', nullable: true }) customerId: string | null;
  @Column() name: string;
  @Column() source: string;
  @Column({ type: 'text' }) tlp: Tlp;
  @Column({ name: 'default_confidence', type: 'smallint' }) defaultConfidence: number;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  // Filled by the list query, not a column.
  indicatorCount?: number;
}
