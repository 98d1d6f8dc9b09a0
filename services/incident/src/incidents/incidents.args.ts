import { ArgsType, Field, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { IncidentFilter } from './incident-filter.input';
import { IncidentOrder } from './incidents.repository';

export const INCIDENT_ORDERS = ['NEWEST', 'SLA_DUE'] as const;
export const IncidentOrderEnum = Object.fromEntries(INCIDENT_ORDERS.map((o) => [o, o])) as { [K in IncidentOrder]: K };
registerEnumType(IncidentOrderEnum, {
  name: 'IncidentOrder',
  description: 'How a list of incidents is sorted',
  valuesMap: {
    NEWEST: { description: 'Newest first' },
    SLA_DUE: { description: 'The analysts’ queue: incidents with a running SLA clock, the soonest due first (paused and stopped ones are left out)' },
  },
});

@ArgsType()
export class IncidentsArgs {
  @Field(() => IncidentFilter, { nullable: true, description: 'Conditions the incidents must meet' })
  @IsOptional()
  @ValidateNested()
  @Type(() => IncidentFilter)
  filter?: IncidentFilter;
  @Field(() => IncidentOrderEnum, { nullable: true, defaultValue: 'NEWEST', description: 'Sort order (default newest first)' }) @IsOptional() @IsIn(INCIDENT_ORDERS) orderBy?: IncidentOrder;
  @Field(() => Int, { nullable: true, defaultValue: 50, description: 'Page size, 1-200' }) @IsOptional() @IsInt() @Min(1) @Max(200) first?: number;
  @Field({ nullable: true, description: 'endCursor of the previous page' }) @IsOptional() @IsString() after?: string;
}
