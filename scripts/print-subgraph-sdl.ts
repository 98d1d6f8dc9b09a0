import 'reflect-metadata';
import { printSubgraphSchema } from '@apollo/subgraph';
import { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { definedDomainErrors } from '@kanshi/errors';
import { StreamName } from '@kanshi/events';
import { ConsumerHost } from '@kanshi/messaging';
import { PLATFORM_OPTIONS, PlatformOptions } from '@kanshi/platform';
import { subgraphReference } from './api-reference';
import { ServiceName } from './services';

export interface SubgraphPrint {
  sdl: string;
  reference: ReturnType<typeof subgraphReference>;
  // The JetStream streams the service publishes to and consumes from, as its modules registered
  // them (the NATS permissions in k8s/ are derived from these).
  streams: { publishes: StreamName[]; consumes: StreamName[] };
}

// Schema-only boot of one service (no database, no NATS): prints, as JSON, its subgraph SDL and
// what the API reference needs from the in-process schema (SDL printing drops field extensions)
// and from the domain errors this service's code defined.
const ENV = { JWT_SECRET: 'schema-only-schema-only-schema-only', NODE_ENV: 'development' };

function moduleOf(name: ServiceName): DynamicModule {
  const { AppModule } = require(`../services/${name}/src/app.module`);
  const { loadConfig } = require(`../services/${name}/src/config`);
  return AppModule.forRoot(loadConfig(ENV), { schemaOnly: true });
}

async function main(name: ServiceName): Promise<void> {
  const app = await NestFactory.create(moduleOf(name), new FastifyAdapter(), { logger: false, abortOnError: false });
  await app.init();
  const schema = app.get(GraphQLSchemaHost).schema;
  const streams = { publishes: [...app.get<PlatformOptions>(PLATFORM_OPTIONS).publishes].sort(), consumes: [...new Set(app.get(ConsumerHost).streams)].sort() };
  const print: SubgraphPrint = { sdl: printSubgraphSchema(schema), reference: subgraphReference(schema, definedDomainErrors()), streams };
  process.stdout.write(JSON.stringify(print));
  await app.close();
}

main(process.argv[2] as ServiceName).catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
