import 'reflect-metadata';
import { printSubgraphSchema } from '@apollo/subgraph';
import { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ServiceName } from './services';

// Schema-only boot of one service (no database, no NATS): prints its subgraph SDL.
const ENV = { JWT_SECRET: 'schema-only-schema-only-schema-only', NODE_ENV: 'development' };

function moduleOf(name: ServiceName): DynamicModule {
  const { AppModule } = require(`../services/${name}/src/app.module`);
  const { loadConfig } = require(`../services/${name}/src/config`);
  return AppModule.forRoot(loadConfig(ENV), { schemaOnly: true });
}

async function main(name: ServiceName): Promise<void> {
  const app = await NestFactory.create(moduleOf(name), new FastifyAdapter(), { logger: false, abortOnError: false });
  await app.init();
  process.stdout.write(printSubgraphSchema(app.get(GraphQLSchemaHost).schema));
  await app.close();
}

main(process.argv[2] as ServiceName).catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
