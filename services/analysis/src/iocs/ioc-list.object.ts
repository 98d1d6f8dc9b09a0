import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf } from '@kanshi/events';
import { IOC_FORMATS, IOC_TYPE_MEANINGS, IOC_TYPES, Tlp, TLP_LEVELS, TLP_MEANINGS } from './ioc-kinds';

export const TlpLevel = enumOf(TLP_LEVELS);
registerEnumType(TlpLevel, {
  name: 'Tlp',
  description: 'Traffic Light Protocol 2.0 level: who the indicators may be shared with',
  valuesMap: Object.fromEntries(TLP_LEVELS.map((t) => [t, { description: TLP_MEANINGS[t] }])),
});

export const IocKind = enumOf(IOC_TYPES);
registerEnumType(IocKind, {
  name: 'IocType',
  description: 'What an indicator of compromise names',
  valuesMap: Object.fromEntries(IOC_TYPES.map((t) => [t, { description: IOC_TYPE_MEANINGS[t] }])),
});

export const IocFormat = enumOf(IOC_FORMATS);
registerEnumType(IocFormat, {
  name: 'IocFormat',
  description: 'The format of an IOC import',
  valuesMap: {
    STIX: { description: 'A STIX 2.1 bundle (JSON) of indicator objects with STIX patterns' },
    CSV: { description: 'A CSV list with a header row: type,value,confidence,expires,description' },
  },
});

@ObjectType('IocList', { description: 'A named list of indicators of compromise from one source, global or one customer\'s own' })
export class IocListObject {
  @Field(() => ID, { description: 'List id' }) id: string;
  @Field(() => ID, { nullable: true, description: 'The customer the list belongs to and applies to; null for a global list (provider staff only)' }) customerId: string | null;
  @Field({ description: 'Name, unique per owner' }) name: string;
  @Field({ description: 'Where the indicators come from (a feed, a vendor, an incident)' }) source: string;
  @Field(() => TlpLevel, { description: 'TLP of the list; an indicator with its own stricter marking keeps it' }) tlp: Tlp;
  @Field(() => Int, { description: 'Confidence (0-100) given to indicators that state none' }) defaultConfidence: number;
  @Field(() => Int, { description: 'How many indicators the list holds, expired ones included' }) indicatorCount: number;
  @Field({ description: 'Who created the list' }) createdBy: string;
  @Field({ description: 'When the list was created' }) createdAt: Date;
  @Field({ description: 'When the list was last imported into' }) updatedAt: Date;
}

