import { Field, ID, InputType } from '@nestjs/graphql';
import { IsDate, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

@InputType({ description: 'Conditions the audit entries must meet' })
export class AuditTrailFilter {
  @Field(() => ID, { nullable: true, description: 'Only entries about this customer (a customer administrator always sees only its own)' })
  @IsOptional()
  @IsUUID()
  customerId?: string;

  @Field({ nullable: true, description: 'Only what this person did (the token subject)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actorId?: string;

  @Field({ nullable: true, description: 'Only what this service served (contracts, ingestion, analysis, incident, endpoint-response, reporting)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  service?: string;

  @Field({ nullable: true, description: 'Entries at or after this instant' })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field({ nullable: true, description: 'Entries before this instant' })
  @IsOptional()
  @IsDate()
  to?: Date;
}
