import type { SeedContext } from '../context.js';

export async function seedServices(_ctx: SeedContext): Promise<void> {}
