import { Directive, Field, ObjectType } from '@nestjs/graphql';
import { Type } from '@nestjs/common';

// PageInfo is defined by several subgraphs, identically, hence @shareable.
@ObjectType('PageInfo', { description: 'Where a page of a connection ends' })
@Directive('@shareable')
export class PageInfoObject {
  @Field({ description: 'Whether more items follow: pass endCursor as `after` to get them' }) hasNextPage: boolean;
  @Field(() => String, { nullable: true, description: 'Cursor of the last edge on this page; null on an empty page' }) endCursor: string | null;
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfoObject;
}

// Relay-style connection types for a node type: `<Name>Connection` and `<Name>Edge`.
export function connectionOf<T>(node: Type<T>, name: string): Type<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`, { description: `One ${name} in a page` })
  class Edge {
    @Field({ description: 'Pass as `after` to continue after this item' }) cursor: string;
    @Field(() => node, { description: `The ${name}` }) node: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items (Relay connection)` })
  class Connection {
    @Field(() => [Edge], { description: 'The items on this page, in order' }) edges: Edge[];
    @Field(() => PageInfoObject, { description: 'Whether more pages follow' }) pageInfo: PageInfoObject;
  }
  return Connection as Type<ConnectionShape<T>>;
}
