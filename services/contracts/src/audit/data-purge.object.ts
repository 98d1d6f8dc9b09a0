import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { connectionOf } from '@kanshi/platform';

@ObjectType('PurgedTable', { description: 'Rows one table lost in a purge' })
export class PurgedTableObject {
  @Field({ description: 'schema.table' }) table: string;
  @Field(() => Int, { description: 'Rows deleted' }) rows: number;
}

@ObjectType('DataPurge', { description: "What one service deleted of a customer's data after its contract's retention ended" })
export class DataPurgeObject {
  @Field(() => ID, { description: 'The purge (the id of the contracts.customer data-purge-due event); one per service' }) purgeId: string;
  @Field(() => ID, { description: 'The customer whose data was deleted' }) customerId: string;
  @Field({ description: 'The service that deleted it' }) service: string;
  @Field(() => [PurgedTableObject], { description: 'Rows deleted per table (tables with none included)' }) tables: PurgedTableObject[];
  @Field(() => Int, { description: 'Rows deleted in all' }) totalRows: number;
  @Field({ description: 'When the service deleted them' }) purgedAt: Date;
}

export const DataPurgeConnection = connectionOf(DataPurgeObject, 'DataPurge');
