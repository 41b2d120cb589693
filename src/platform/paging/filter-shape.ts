import type { SlotOf } from './page-with.js';

/**
 * The shape of a filtered statement for `fetchPageWithShape`: which filters are given, for a
 * repository whose `filtered()` tests each filter for null or for truth and puts its value in the
 * statement as a parameter (passed as given, not copied: in a template it is a slot). Undefined
 * for a filter built per call: one named in `perCall` (a search: its words are the statement's
 * shape), or a given value that is false ('' or 0, which `filtered` may skip).
 */
export function filterShape<Where extends object>(names: ReadonlyArray<keyof Where & string>, filter: Where, perCall: ReadonlyArray<keyof Where & string>): string | undefined {
  let shape = '';
  for (const name of names) {
    const value = filter[name];
    if (value == null) shape += '-';
    else if (perCall.includes(name) || !value) return undefined;
    else shape += '+';
  }
  return shape;
}

/** The filter with each given value a slot reading the call's own (a template's, `fetchPageWithShape`). */
export function slottedFilter<Where extends object>(names: ReadonlyArray<keyof Where & string>, filter: Where, slot: SlotOf<Where>): Where {
  const slots: Record<string, unknown> = {};
  for (const name of names) if (filter[name] != null) slots[name] = slot((input) => input[name]);
  return slots as Where;
}
