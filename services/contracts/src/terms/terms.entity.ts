import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ schema: 'contracts', name: 'terms_version' })
export class TermsVersionEntity {
  @PrimaryColumn() version: string;
  // The JST date from which the version is the one new contracts accept.
  @Column({ name: 'effective_date', type: 'date' }) effectiveDate: string;
  @Column() title: string;
  @Column() body: string;
  @Column() sha256: string;
  @Column({ name: 'published_by', type: 'text', nullable: true }) publishedBy: string | null;
  @Column({ name: 'published_at', type: 'timestamptz' }) publishedAt: Date;
}

// Who accepted which terms for which contract, and a hash of exactly the text they accepted.
@Entity({ schema: 'contracts', name: 'terms_acceptance' })
export class TermsAcceptanceEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'contract_id', type: 'uuid' }) contractId: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ name: 'terms_version' }) termsVersion: string;
  @Column({ name: 'terms_sha256' }) termsSha256: string;
  @Column({ name: 'accepted_by' }) acceptedBy: string;
  @Column({ name: 'accepted_by_role' }) acceptedByRole: string;
  @Column({ name: 'accepted_at', type: 'timestamptz' }) acceptedAt: Date;
}
