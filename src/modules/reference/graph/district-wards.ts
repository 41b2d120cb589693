import type { GraphContext } from '../../context.js';
import { expectGlobalId } from '../../../platform/relay/global-id.js';

/**
 * The ward ids of a district, for filters that take a district: rows of other sources hold
 * only a ward id, and sources are never joined in SQL.
 */
export async function districtWardIds(districtGlobalId: string, { repos }: GraphContext, argument: string): Promise<number[]> {
  const districtId = expectGlobalId(districtGlobalId, 'AdministrativeUnit', argument);
  const page = await repos.reference.units.list({ parentId: districtId, level: 'WARD' }, 'CODE', { first: 100 });
  return page.edges.map((edge) => edge.node.id);
}
