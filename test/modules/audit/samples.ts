import type { ModuleSamples } from '../../support/samples/index.js';

/** The audit source's sample values for the cross-source tests (test/support/samples/index.ts). */
export const samples: ModuleSamples = {
  // The access log's entries are no Node type.
  nodes: {},
  injectionTargets: ['accessLog(filter.actor)'],
};
