import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

// The reporting subgraph owns Report; contracts only points at the PDF of a quote or invoice.
@ObjectType('Report', { description: 'A rendered PDF report (a quote, an invoice, an analysis or monthly report), owned by the reporting subgraph' })
@Directive('@key(fields: "id", resolvable: false)')
export class ReportRef {
  @Field(() => ID, { description: "The report's id" }) id: string;
}

export function reportRef(id: string | null): ReportRef | null {
  return id ? { id } : null;
}
