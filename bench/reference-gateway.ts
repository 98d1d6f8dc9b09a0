import 'reflect-metadata';
import { IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloGatewayDriver, ApolloGatewayDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { readFileSync } from 'node:fs';

// The reference for `npm run bench -- gateway`: the plain NestJS setup from the documentation,
// ApolloGatewayDriver with its defaults on the default (Express) platform, forwarding the token.
// Same supergraph and subgraphs as Kanshi's gateway.
void IntrospectAndCompose;
const supergraphSdl = readFileSync(process.env.SUPERGRAPH_PATH!, 'utf8').replace(/url: "http:\/\/127\.0\.0\.1:(\d+)\/graphql"/g, (_, port) => `url: "http://127.0.0.1:${Number(port) + Number(process.env.PORT_OFFSET ?? 0)}/graphql"`);

@Module({
  imports: [
    GraphQLModule.forRoot<ApolloGatewayDriverConfig>({
      driver: ApolloGatewayDriver,
      server: { context: ({ req }: { req: { headers: Record<string, string> } }) => ({ authorization: req.headers.authorization }) },
      gateway: {
        supergraphSdl,
        buildService: ({ url }) =>
          new RemoteGraphQLDataSource({
            url,
            willSendRequest({ request, context }: { request: { http?: { headers: { set(k: string, v: string): void } } }; context: { authorization?: string } }) {
              if (context.authorization) request.http?.headers.set('authorization', context.authorization);
            },
          }),
      },
    }),
  ],
})
class ReferenceGatewayModule {}

async function main() {
  const app = await NestFactory.create(ReferenceGatewayModule, { logger: ['error', 'warn'] });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.send?.('ready');
}
void main();
