import type { DossierDimension, DossierGroupRates } from '../db/index.js';

const KEY_OF: Record<DossierDimension, (g: DossierGroupRates) => unknown> = {
  AGENCY: (g) => g.agencyId,
  MONTH: (g) => g.month,
  CHANNEL: (g) => g.channel,
  STATUS: (g) => g.status,
};

/**
 * Small-cell protection for grouped dossier figures: the groups counting fewer than `k` dossiers
 * are withheld, and then, along every line of the table (the groups that differ in one dimension
 * only), a line with exactly one withheld group gives up its smallest other group too, until no
 * line has exactly one. Otherwise a withheld group would follow from the others and a margin (the
 * totals, or the same figures grouped by fewer dimensions in another field of the answer): a slice
 * of the table with one withheld group always has a line with one. Returns the groups kept, in order.
 */
export function suppressSmallGroups(groups: readonly DossierGroupRates[], dimensions: readonly DossierDimension[], k: number): DossierGroupRates[] {
  const withheld = new Set<number>(groups.flatMap((g, i) => (g.total < k ? [i] : [])));
  if (withheld.size === 0) return [...groups];
  const linesAlong = new Map<DossierDimension, number[][]>();
  for (const along of dimensions) {
    const others = dimensions.filter((d) => d !== along);
    const lines = new Map<string, number[]>();
    groups.forEach((g, i) => {
      const key = JSON.stringify(others.map((d) => KEY_OF[d](g)));
      lines.set(key, [...(lines.get(key) ?? []), i]);
    });
    linesAlong.set(along, [...lines.values()]);
  }
  // A group alone on some line equals that line's margin, which another grouping would show: a poor complement.
  const alone = new Set<number>([...linesAlong.values()].flatMap((lines) => lines.filter((line) => line.length === 1).map((line) => line[0]!)));
  for (let changed = true; changed; ) {
    changed = false;
    for (const along of dimensions) {
      for (const line of linesAlong.get(along)!) {
        if (line.filter((i) => withheld.has(i)).length !== 1) continue;
        const kept = line
          .filter((i) => !withheld.has(i))
          .sort((a, b) => Number(alone.has(a)) - Number(alone.has(b)) || groups[a]!.total - groups[b]!.total || a - b);
        if (kept.length === 0) continue;
        withheld.add(kept[0]!);
        changed = true;
      }
    }
  }
  return groups.filter((_, i) => !withheld.has(i));
}

const DAY_MS = 86_400_000;
/** Đà Nẵng is UTC+7 all year (no daylight saving time). */
const DA_NANG_OFFSET_MS = 7 * 3_600_000;

/** Whether a time is midnight in Đà Nẵng: a whole-day bound. */
export function isWholeDay(time: Date): boolean {
  return (time.getTime() + DA_NANG_OFFSET_MS) % DAY_MS === 0;
}
