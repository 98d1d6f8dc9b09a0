import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { EdrProductCode, enumOf } from '@kanshi/events';
import { EdrProduct } from '../endpoints/endpoint.object';
import { CONNECTOR_HEALTHS, ConnectorHealthValue } from './connector-health';

export const EdrConnectorHealth = enumOf(CONNECTOR_HEALTHS);
registerEnumType(EdrConnectorHealth, {
  name: 'EdrConnectorHealth',
  description: 'Whether the SOC can reach an EDR console with the stored credentials',
  valuesMap: {
    UNKNOWN: { description: 'Not tested or used since it was configured' },
    HEALTHY: { description: 'The last test or call authenticated' },
    UNHEALTHY: { description: 'The vendor refused the credentials at the last test or call (see lastError)' },
  },
});

@ObjectType('EdrConnector', { description: 'How the SOC reaches one customer’s EDR console; the secret is write-only and never shown' })
export class EdrConnectorObject {
  @Field(() => ID, { description: 'Connector id' }) id: string;
  @Field(() => ID, { description: 'The customer whose EDR it is' }) customerId: string;
  @Field(() => EdrProduct, { description: 'The EDR product' }) product: EdrProductCode;
  @Field({ description: 'The console’s API base URL' }) baseUrl: string;
  @Field({ description: 'CrowdStrike client id, Carbon Black API id, Cybereason or FireEye HX user name' }) clientId: string;
  @Field(() => String, { nullable: true, description: 'Carbon Black org key; null for the other products' }) orgKey: string | null;
  @Field(() => ID, { nullable: true, description: 'The ingestion sensor that pulled detections are stored under; null when not pulling' }) sensorId: string | null;
  @Field(() => EdrConnectorHealth, { description: 'Health at the last test or call' }) health: ConnectorHealthValue;
  @Field(() => String, { nullable: true, description: 'The vendor’s message when it last refused the credentials' }) lastError: string | null;
  @Field(() => Date, { nullable: true, description: 'When the health was last checked' }) checkedAt: Date | null;
  @Field({ description: 'When it was last configured' }) updatedAt: Date;
}
