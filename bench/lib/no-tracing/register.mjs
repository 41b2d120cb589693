// `node --import tsx --import ./bench/lib/no-tracing/register.mjs …`: installs ./hooks.mjs (after tsx, so it runs first).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
