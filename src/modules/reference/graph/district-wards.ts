import type { GraphContext } from '../../context.js';
import { expectGlobalId } from '../../../platform/relay/global-id.js';

/**
 * The ward ids of a district, for filters that take a district: rows of other sources hold
 * only a ward id, and sources are never joined in SQL. By id, so through the request's loader.
 */
export async function districtWardIds(districtGlobalId: string, { loaders }: GraphContext, argument: string): Promise<number[]> {
  const districtId = expectGlobalId(districtGlobalId, 'AdministrativeUnit', argument);
  const wards = await loaders.reference.wardsOfDistrict.load(districtId);
  return wards.map((ward) => ward.id);
}
