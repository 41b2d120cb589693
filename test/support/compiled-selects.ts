import { AliasNode, PostgresQueryCompiler, SelectQueryNode, TableNode, type RootOperationNode } from 'kysely';
import { vi } from 'vitest';

/** A select statement Kysely compiled: the tables it reads from and its select list (a `*` for select *). */
export interface CompiledSelect {
  table: string;
  columns: string[];
}

/**
 * The select statements compiled while `run` runs (issue 14: each request fetches what its
 * document asks). A page cut in a subquery, its same-source relations joined outside
 * (platform/paging/page-with.ts), counts as the page's own select.
 */
export async function selectsDuring<T>(run: () => Promise<T>): Promise<{ result: T; selects: CompiledSelect[] }> {
  const compile = vi.spyOn(PostgresQueryCompiler.prototype, 'compileQuery');
  try {
    const result = await run();
    const selects = compile.mock.calls
      .map(([node]) => node as RootOperationNode)
      .filter((node): node is SelectQueryNode => SelectQueryNode.is(node))
      .map((node) => pageOf(node) ?? node)
      .map((node) => ({
        table: (node.from?.froms ?? []).map((from) => (TableNode.is(from) ? from.table.identifier.name : '(subquery)')).join(','),
        columns: (node.selections ?? []).map((s) => (s.selection.kind === 'SelectAllNode' ? '*' : JSON.stringify(s.selection).match(/"column":\{"kind":"IdentifierNode","name":"(\w+)"/)?.[1] ?? '?')),
      }));
    return { result, selects };
  } finally {
    compile.mockRestore();
  }
}

/** The page's own select of a `select "page".*, <joined> from (<page>) as "page" ...` statement. */
function pageOf(node: SelectQueryNode): SelectQueryNode | undefined {
  const from = node.from?.froms[0];
  return from && AliasNode.is(from) && SelectQueryNode.is(from.node) ? from.node : undefined;
}
