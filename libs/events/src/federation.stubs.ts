import 'reflect-metadata';
import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

// The Customer entity is owned by the contracts subgraph; other subgraphs add fields to it
// (Customer.sensors, Customer.incidents, ...) through this key-only stub. Its descriptions are
// contracts' own, word for word: composition keeps the one most subgraphs give.
@ObjectType('Customer', { description: 'A company the SOC monitors, served directly or through a partner. Provider staff see every customer, a partner its own customers, a customer itself.' })
@Directive('@key(fields: "id")')
export class CustomerRef {
  @Field(() => ID, { description: "The customer's id, the tenant key across all subgraphs" }) id: string;
}

// The Alert entity is owned by the ingestion subgraph; analysis adds Alert.verdict and points at
// alerts (a group's members, a suppression's silenced alerts) through this key-only stub, resolved
// by ingestion with its own tenant rules. Descriptions are ingestion's own, word for word.
@ObjectType('Alert', { description: "An alert a sensor reported, normalized to ECS. Repeats of the same vendor alert count on one Alert. Provider staff see every alert, a partner its customers', a customer its own." })
@Directive('@key(fields: "id")')
export class AlertRef {
  @Field(() => ID, { description: "The alert's id" }) id: string;
}

// The Sensor entity is owned by the ingestion subgraph; incident points at sensors (maintenance
// windows, work orders) through this key-only stub. Descriptions are ingestion's own, word for word.
@ObjectType('Sensor', { description: "A device that sends a customer's alerts and logs to Kanshi (HTTPS, syslog or alert mail). Provider staff see every sensor, a partner its customers', a customer its own." })
@Directive('@key(fields: "id")')
export class SensorRef {
  @Field(() => ID, { description: "The sensor's id; also the path segment of its HTTPS ingest URL" }) id: string;
}
