import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { Page } from '../db/keyset.js';
import { PageInfo } from './page-info.type.js';

export interface ConnectionShape<T> {
  edges: Array<{ node: T; readonly cursor: string }>;
  pageInfo: PageInfo;
  totalCount(): Promise<number | null>;
}

/**
 * Makes `<Name>Connection` and `<Name>Edge` for a node type. `totalCount` is computed only when
 * a client asks for it: counting costs a query, pages do not need it.
 */
export function ConnectionType<T extends object>(name: string, nodeType: ClassType<T>) {
  @ObjectType(`${name}Edge`, { description: `One ${name} in a page, with its cursor (Relay cursor connection).` })
  class Edge {
    @Field(() => nodeType, { description: `The ${name}.` })
    node: T;

    /** The page's edge: its cursor is sealed on first read (keyset.ts), so only when a client selects it. */
    private source: { readonly cursor: string };

    @Field(() => String, { description: 'Opaque cursor of this edge: pass it as `after` or `before` to page from here.' })
    get cursor(): string {
      return this.source.cursor;
    }

    static of(node: T, source: { readonly cursor: string }): Edge {
      const edge = new Edge();
      edge.node = node;
      edge.source = source;
      return edge;
    }
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} (Relay cursor connection).` })
  class Connection implements ConnectionShape<T> {
    @Field(() => [Edge], { description: 'The rows of this page, in the order asked for.' })
    edges: Edge[];

    @Field(() => PageInfo, { description: 'Where this page stands in the list, and the cursors to page on.' })
    pageInfo: PageInfo;

    counter: () => Promise<number>;

    @Field(() => Int, { nullable: true, description: 'Rows in the whole list (the same filter), computed on request.' })
    totalCount(): Promise<number | null> {
      return this.counter();
    }

    static of<Row>(page: Page<Row>, map: (row: Row) => T, count: () => Promise<number>): Connection {
      const connection = new Connection();
      connection.edges = page.edges.map((edge) => Edge.of(map(edge.node), edge));
      connection.pageInfo = PageInfo.of(page);
      connection.counter = count;
      return connection;
    }

    /** The answer for a caller whose row scope is empty: no rows, no query. */
    static empty(): Connection {
      return Connection.of<never>({ edges: [], hasNextPage: false, hasPreviousPage: false }, (row) => row, async () => 0);
    }
  }

  return Connection;
}
