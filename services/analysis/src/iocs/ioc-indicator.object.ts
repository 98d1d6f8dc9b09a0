import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { connectionOf } from '@kanshi/platform';
import { IocType, Tlp } from './ioc-kinds';
import { IocKind, TlpLevel } from './ioc-list.object';

@ObjectType('Ioc', { description: 'One indicator of compromise of a list' })
export class IocObject {
  @Field(() => ID, { description: 'Indicator id' }) id: string;
  @Field(() => ID, { description: 'The list it belongs to' }) listId: string;
  @Field(() => IocKind, { description: 'What the value names' }) type: IocType;
  @Field({ description: 'The normalized value (lower-case hash or domain, canonical IP or CIDR, normalized URL)' }) value: string;
  @Field(() => Int, { description: 'Confidence 0-100' }) confidence: number;
  @Field(() => Date, { nullable: true, description: 'From when it matches; null for always' }) validFrom: Date | null;
  @Field(() => Date, { nullable: true, description: 'When it expires and stops matching; null for never' }) validUntil: Date | null;
  @Field(() => TlpLevel, { nullable: true, description: "The indicator's own TLP marking, when its source gave one" }) tlp: Tlp | null;
  @Field(() => String, { nullable: true, description: 'The STIX indicator id it was imported from' }) stixId: string | null;
  @Field({ description: 'What it is (STIX name and description, or the CSV description); may be empty' }) description: string;
  @Field(() => [String], { description: 'STIX labels' }) labels: string[];
  @Field({ description: 'When it was last imported' }) updatedAt: Date;
}

export const IocConnection = connectionOf(IocObject, 'Ioc');
