import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('CriticalAsset', { description: 'An endpoint or server the customer marked as critical: verdicts on it are raised one severity level' })
export class CriticalAssetObject {
  @Field(() => ID, { description: 'The critical asset’s id' }) id: string;
  @Field(() => ID, { description: 'The customer it belongs to' }) customerId: string;
  @Field(() => String, { nullable: true, description: 'Host name (lower case); null when marked by IP address only' }) hostName: string | null;
  @Field(() => String, { nullable: true, description: 'IP address; null when marked by host name only' }) ip: string | null;
  @Field({ description: 'Why the asset is critical (e.g. "domain controller")' }) note: string;
  @Field({ description: 'When it was marked' }) createdAt: Date;
}
