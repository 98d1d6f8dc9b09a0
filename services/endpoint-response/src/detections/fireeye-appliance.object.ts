import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf } from '@kanshi/events';
import { ConnectorHealthValue } from '../connectors/connector-health';
import { EdrConnectorHealth } from '../connectors/edr-connector.object';

export const FIREEYE_APPLIANCE_PRODUCTS = ['FIREEYE_NX', 'FIREEYE_CM', 'FIREEYE_EX'] as const;
export type FireEyeApplianceProductValue = (typeof FIREEYE_APPLIANCE_PRODUCTS)[number];
export const FireEyeApplianceProduct = enumOf(FIREEYE_APPLIANCE_PRODUCTS);
registerEnumType(FireEyeApplianceProduct, {
  name: 'FireEyeApplianceProduct',
  description: 'A FireEye appliance whose alerts are pulled through its Web Services API',
  valuesMap: {
    FIREEYE_NX: { description: 'Network Security (NX)' },
    FIREEYE_CM: { description: 'Central Management (CM), pulling the alerts of the appliances it manages' },
    FIREEYE_EX: { description: 'Email Security (EX)' },
  },
});

@ObjectType('FireEyeAppliance', { description: 'A customer’s FireEye NX / CM / EX appliance whose alerts the SOC pulls over the customer’s VPN (Web Services API); the password is write-only and never shown' })
export class FireEyeApplianceObject {
  @Field(() => ID, { description: 'Appliance id' }) id: string;
  @Field(() => ID, { description: 'The customer whose appliance it is' }) customerId: string;
  @Field(() => FireEyeApplianceProduct, { description: 'The appliance product' }) product: FireEyeApplianceProductValue;
  @Field({ description: 'The appliance’s address (https://host[:port]; the Web Services API is under /wsapis/v2.0.0)' }) baseUrl: string;
  @Field({ description: 'The Web Services API user name' }) username: string;
  @Field(() => ID, { description: 'The ingestion sensor (the customer’s FireEye sensor) that pulled alerts are stored under' }) sensorId: string;
  @Field(() => EdrConnectorHealth, { description: 'Health at the last test or pull' }) health: ConnectorHealthValue;
  @Field(() => String, { nullable: true, description: 'The appliance’s message when it last refused the credentials' }) lastError: string | null;
  @Field(() => Date, { nullable: true, description: 'When the health was last checked' }) checkedAt: Date | null;
  @Field({ description: 'When it was last configured' }) updatedAt: Date;
}
