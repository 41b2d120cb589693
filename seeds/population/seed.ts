import type { SeedContext } from '../context.js';

export async function seedPopulation(_ctx: SeedContext): Promise<void> {}
