import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum ReportKind {
  ANALYSIS = 'ANALYSIS',
  MONTHLY = 'MONTHLY',
  QUOTE = 'QUOTE',
  INVOICE = 'INVOICE',
}
registerEnumType(ReportKind, { name: 'ReportKind' });

@ObjectType('Report')
@Directive('@key(fields: "id")')
export class ReportObject {
  @Field(() => ID) id: string;
  @Field(() => ID) customerId: string;
  @Field(() => ReportKind) kind: string;
  @Field() title: string;
  @Field() language: string;
  @Field() createdAt: Date;
  @Field(() => String, { nullable: true, description: 'SHA-256 of the PDF, null while it is being rendered' }) sha256: string | null;
}
