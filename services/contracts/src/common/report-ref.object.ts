import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

// The reporting subgraph owns Report; contracts only points at the PDF of a quote or invoice.
@ObjectType('Report')
@Directive('@key(fields: "id", resolvable: false)')
export class ReportRef {
  @Field(() => ID) id: string;
}

export function reportRef(id: string | null): ReportRef | null {
  return id ? { id } : null;
}
