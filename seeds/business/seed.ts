import type { SeedContext } from '../context.js';

export async function seedBusiness(_ctx: SeedContext): Promise<void> {}
