import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('IocImportSkip', { description: 'A row or STIX object an import left out, and why' })
export class IocImportSkipObject {
  @Field(() => Int, { description: 'CSV line number (the header is line 1), or the 1-based position of the object in the bundle\'s objects' }) row: number;
  @Field(() => String, { nullable: true, description: 'The STIX object id, for a bundle' }) objectId: string | null;
  @Field({ description: 'Why it was left out' }) reason: string;
}

@ObjectType('IocImportResult', { description: 'What an IOC import stored and what it left out' })
export class IocImportResultObject {
  @Field(() => ID, { description: 'The list imported into' }) listId: string;
  @Field(() => Int, { description: 'Indicators added or updated (an indicator already in the list is updated, never duplicated)' }) imported: number;
  @Field(() => [IocImportSkipObject], { description: 'Rows or objects left out, with the reason; the rest was imported' }) skipped: IocImportSkipObject[];
}
