import { Directive, Field, ObjectType } from '@nestjs/graphql';
import { Type } from '@nestjs/common';

// PageInfo is defined by several subgraphs, identically, hence @shareable.
@ObjectType('PageInfo')
@Directive('@shareable')
export class PageInfoObject {
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfoObject;
}

// Relay-style connection types for a node type: `<Name>Connection` and `<Name>Edge`.
export function connectionOf<T>(node: Type<T>, name: string): Type<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field() cursor: string;
    @Field(() => node) node: T;
  }

  @ObjectType(`${name}Connection`)
  class Connection {
    @Field(() => [Edge]) edges: Edge[];
    @Field(() => PageInfoObject) pageInfo: PageInfoObject;
  }
  return Connection as Type<ConnectionShape<T>>;
}
