import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf } from '@kanshi/events';
import { EDR_PRODUCTS, EdrProductValue } from './edr-products';

const PRODUCT_NAMES: Record<EdrProductValue, string> = {
  CROWDSTRIKE_FALCON: 'CrowdStrike Falcon',
  CYBEREASON: 'Cybereason',
  CARBON_BLACK: 'VMware Carbon Black Cloud',
  FIREEYE_HX: 'FireEye (Trellix) HX',
};
export const EdrProduct = enumOf(EDR_PRODUCTS);
registerEnumType(EdrProduct, {
  name: 'EdrProduct',
  description: 'The EDR that manages an endpoint',
  valuesMap: Object.fromEntries(EDR_PRODUCTS.map((p) => [p, { description: PRODUCT_NAMES[p] }])),
});

@ObjectType('Endpoint', { description: 'A managed endpoint (MDR): a host whose EDR agent the SOC can isolate' })
@Directive('@key(fields: "id")')
export class EndpointObject {
  @Field(() => ID, { description: 'Endpoint id' }) id: string;
  @Field(() => ID, { description: 'The customer it belongs to' }) customerId: string;
  @Field({ description: 'Host name' }) hostName: string;
  @Field(() => [String], { description: 'Known IP addresses' }) ipAddresses: string[];
  @Field({ nullable: true, description: 'Operating system, when known' }) os?: string;
  @Field(() => EdrProduct, { description: 'The EDR that manages it' }) edrProduct: EdrProductValue;
  @Field({ description: 'The agent id in that EDR’s API' }) edrAgentId: string;
  @Field({ description: 'Whether it is isolated from the network now' }) isolated: boolean;
  @Field({ nullable: true, description: 'When its EDR last saw it; null when never' }) lastSeenAt?: Date;
  @Field({ description: 'When it was registered' }) createdAt: Date;
}
