import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('Action', { description: 'A recommended countermeasure, in English and Japanese' })
export class VerdictActionObject {
  @Field({ description: 'What to do, in English' }) text: string;
  @Field({ description: 'What to do, in Japanese' }) textJa: string;
}
