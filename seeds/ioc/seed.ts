import type { SeedContext } from '../context.js';

export async function seedIoc(_ctx: SeedContext): Promise<void> {}
