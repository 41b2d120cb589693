import type { SeedContext } from '../context.js';

export async function seedOpendata(_ctx: SeedContext): Promise<void> {}
