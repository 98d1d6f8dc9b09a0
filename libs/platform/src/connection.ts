import { Directive, Field, ObjectType } from '@nestjs/graphql';
import { Type } from '@nestjs/common';

// PageInfo is defined by several subgraphs, identically, hence @shareable.
@ObjectType('PageInfo', { description: 'Where a page of a list ends, for fetching the next one' })
@Directive('@shareable')
export class PageInfoObject {
  @Field({ description: 'Whether more items follow this page' }) hasNextPage: boolean;
  @Field(() => String, { nullable: true, description: 'Pass as `after` to fetch the next page; null when the page is empty' }) endCursor: string | null;
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfoObject;
}

// Relay-style connection types for a node type: `<Name>Connection` and `<Name>Edge`.
export function connectionOf<T>(node: Type<T>, name: string): Type<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`, { description: `One ${name} in a page, with its position in the list` })
  class Edge {
    @Field({ description: `Opaque position of this ${name}; pass as \`after\` to continue after it` }) cursor: string;
    @Field(() => node, { description: `The ${name}` }) node: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items, in the list's order` })
  class Connection {
    @Field(() => [Edge], { description: `The ${name} items of this page` }) edges: Edge[];
    @Field(() => PageInfoObject, { description: 'Whether there is a next page, and where it starts' }) pageInfo: PageInfoObject;
  }
  return Connection as Type<ConnectionShape<T>>;
}
