import { describe, expect, it } from 'vitest';
import { fromGlobalId, toGlobalId } from '../../src/platform/relay/global-id.js';

/** What toGlobalId gave before its encoder was written out: Buffer's base64url of "Type:id". */
const reference = (type: string, id: number | string) => Buffer.from(`${type}:${id}`).toString('base64url');

describe('toGlobalId', () => {
  it('gives the same text as base64url of "Type:id", for every length of type and id', () => {
    const types = ['A', 'AB', 'ABC', 'Node', 'Agency', 'Citizen', 'Dossier', 'AdministrativeUnit', 'ProcedureResult', 'IndicatorObservation'];
    const ids: Array<number | string> = [0, 1, 9, 10, 99, 100, 12345, 2_147_483_647, 1e21, -5, 'DN-2024', 'x', ''];
    for (let id = 1; id < 5000; id += 37) ids.push(id);
    for (const type of types) for (const id of ids) expect(toGlobalId(type, id)).toBe(reference(type, id));
  });

  it('encodes text that is not ASCII as UTF-8, as before', () => {
    expect(toGlobalId('Ward', 'Hải Châu')).toBe(reference('Ward', 'Hải Châu'));
    expect(toGlobalId('Phường', 7)).toBe(reference('Phường', 7));
  });

  it('round-trips through fromGlobalId', () => {
    expect(fromGlobalId(toGlobalId('Citizen', 95247))).toEqual({ type: 'Citizen', id: 95247 });
    expect(fromGlobalId(toGlobalId('AdministrativeUnit', 1))).toEqual({ type: 'AdministrativeUnit', id: 1 });
  });
});
