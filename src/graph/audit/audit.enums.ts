import { registerEnumType } from 'type-graphql';

export enum AccessOutcome {
  GRANTED = 'GRANTED',
  MASKED = 'MASKED',
  DENIED = 'DENIED',
}
registerEnumType(AccessOutcome, { name: 'AccessOutcome' });

export enum ChainProblem {
  CHANGED = 'CHANGED',
  REMOVED = 'REMOVED',
  INSERTED = 'INSERTED',
  REORDERED = 'REORDERED',
}
registerEnumType(ChainProblem, { name: 'ChainProblem', description: 'How the access log was tampered with.' });
