import { Field, Int, ObjectType } from '@nestjs/graphql';
import { ConnectorHealthValue } from './connector-health';
import { EdrConnectorHealth } from './edr-connector.object';

@ObjectType('EdrConnectorTest', { description: 'What testing a connector found: whether it authenticated and read the console' })
export class EdrConnectorTestObject {
  @Field({ description: 'True when the console accepted the credentials and answered' }) ok: boolean;
  @Field(() => EdrConnectorHealth, { description: 'The connector’s health after the test' }) health: ConnectorHealthValue;
  @Field(() => String, { nullable: true, description: 'Why it failed (the vendor’s message); null when ok' }) message: string | null;
  @Field(() => Int, { description: 'How long the test took, in milliseconds' }) durationMs: number;
  @Field({ description: 'When it was tested' }) checkedAt: Date;
}
