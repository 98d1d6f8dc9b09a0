import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf } from '@kanshi/events';
import { EDR_PRODUCTS, EdrProductValue } from './edr-products';
import { ENDPOINT_SOURCES, EndpointSourceValue } from './endpoint-states';

export const PRODUCT_NAMES: Record<EdrProductValue, string> = {
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

const SOURCE_MEANINGS: Record<EndpointSourceValue, string> = {
  MANUAL: 'Registered by hand',
  EDR: 'Reported by the customer’s EDR (inventory sync)',
  ALERT: 'Named by an alert; no EDR agent known until a sync reports it',
};
export const EndpointSource = enumOf(ENDPOINT_SOURCES);
registerEnumType(EndpointSource, {
  name: 'EndpointSource',
  description: 'How an endpoint entered the inventory',
  valuesMap: Object.fromEntries(ENDPOINT_SOURCES.map((s) => [s, { description: SOURCE_MEANINGS[s] }])),
});

@ObjectType('Endpoint', { description: 'A host in a customer’s endpoint inventory (MDR): synced from its EDR, learned from alerts or registered by hand; the SOC can isolate it through its EDR agent' })
@Directive('@key(fields: "id")')
export class EndpointObject {
  @Field(() => ID, { description: 'Endpoint id' }) id: string;
  @Field(() => ID, { description: 'The customer it belongs to' }) customerId: string;
  @Field({ description: 'Host name' }) hostName: string;
  @Field(() => [String], { description: 'Known IP addresses' }) ipAddresses: string[];
  @Field({ nullable: true, description: 'Operating system, when known' }) os?: string;
  @Field(() => EdrProduct, { nullable: true, description: 'The EDR that manages it; null when no agent is known (learned from an alert)' }) edrProduct?: EdrProductValue;
  @Field({ nullable: true, description: 'The agent id in that EDR’s API; null when no agent is known (learned from an alert)' }) edrAgentId?: string;
  @Field(() => EndpointSource, { description: 'How it entered the inventory' }) source: EndpointSourceValue;
  @Field({ description: 'Its agent has not been reported within the managed window: no longer managed nor billed' }) retired: boolean;
  @Field({ description: 'Whether it is isolated from the network now' }) isolated: boolean;
  @Field({ nullable: true, description: 'When its EDR last saw it; null when never' }) lastSeenAt?: Date;
  @Field({ description: 'When it was registered' }) createdAt: Date;
}
