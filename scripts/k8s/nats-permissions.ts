import { STREAMS, StreamName } from '@kanshi/events';

// The NATS user of each service may publish only the subjects of the streams it owns, and use
// only the JetStream API calls its own work needs: look up, create and update the streams it
// publishes to or consumes from (whichever service boots first creates a stream, from the
// shared catalogue), create and read its durable consumers on the streams it consumes, pull
// and ack their messages. Replies come back on _INBOX. Nothing else: no other stream's subjects,
// no consumers on streams it does not read, no stream deletion or purge.
export interface NatsPermissions {
  publish: { allow: string[] };
  subscribe: { allow: string[] };
}

export interface ServiceStreams {
  publishes: StreamName[];
  consumes: StreamName[];
}

export function natsPermissionsFor(streams: ServiceStreams, namespace = 'kanshi'): NatsPermissions {
  const stream = (s: StreamName) => `${namespace}_${STREAMS[s].name}`;
  const publish = new Set<string>(['$JS.API.INFO']);
  for (const s of streams.publishes) for (const subject of STREAMS[s].subjects) publish.add(`${namespace}.${subject}`);
  for (const s of [...streams.publishes, ...streams.consumes]) {
    publish.add(`$JS.API.STREAM.INFO.${stream(s)}`);
    publish.add(`$JS.API.STREAM.CREATE.${stream(s)}`);
    publish.add(`$JS.API.STREAM.UPDATE.${stream(s)}`);
  }
  for (const s of streams.consumes) {
    publish.add(`$JS.API.CONSUMER.CREATE.${stream(s)}.>`);
    publish.add(`$JS.API.CONSUMER.DURABLE.CREATE.${stream(s)}.>`);
    publish.add(`$JS.API.CONSUMER.INFO.${stream(s)}.>`);
    publish.add(`$JS.API.CONSUMER.MSG.NEXT.${stream(s)}.>`);
    publish.add(`$JS.ACK.${stream(s)}.>`);
  }
  return { publish: { allow: [...publish].sort() }, subscribe: { allow: ['_INBOX.>'] } };
}

// The user name and the password variable the NATS Helm values use for a service.
export function natsUserOf(service: string): { user: string; passwordVariable: string } {
  return { user: `kanshi-${service}`, passwordVariable: `NATS_PASSWORD_${service.toUpperCase().replace(/-/g, '_')}` };
}
