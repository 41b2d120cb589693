/**
 * How much data a seed run makes. `city` is Da Nang at full size (about 1.2 million residents,
 * ~30,000 enterprises, ~1 million dossiers); `small` is the embedded default. The open-data
 * catalogue keeps its real size (~1,200 datasets) at every scale.
 */
export interface Scale {
  name: string;
  citizens: number;
  enterprises: number;
  householdBusinesses: number;
  dossiers: number;
  datasets: number;
  /** Months of indicator observations, ending at the seed's reference month. */
  observationMonths: number;
}

export const SCALES: Record<string, Scale> = {
  tiny: { name: 'tiny', citizens: 1_000, enterprises: 25, householdBusinesses: 10, dossiers: 800, datasets: 1_200, observationMonths: 12 },
  small: { name: 'small', citizens: 5_000, enterprises: 125, householdBusinesses: 50, dossiers: 4_200, datasets: 1_200, observationMonths: 24 },
  medium: { name: 'medium', citizens: 100_000, enterprises: 2_500, householdBusinesses: 1_000, dossiers: 85_000, datasets: 1_200, observationMonths: 24 },
  city: { name: 'city', citizens: 1_200_000, enterprises: 30_000, householdBusinesses: 12_000, dossiers: 1_000_000, datasets: 1_200, observationMonths: 36 },
};

export function scaleNamed(name: string): Scale {
  const scale = SCALES[name];
  if (!scale) throw new Error(`Unknown scale "${name}"; use one of: ${Object.keys(SCALES).join(', ')}`);
  return scale;
}

/**
 * The day the seeded world stands on: the source article's month (October 2024). Dates are
 * relative to it, not to the clock, so two runs give the same rows.
 */
export const SEED_TODAY = new Date('2024-10-31T10:00:00+07:00');
