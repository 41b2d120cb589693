import { vocabularyEnum, type EnumValue } from '../../../platform/graphql/enum.js';
import { ACCESS_OUTCOMES, CHAIN_PROBLEMS } from '../db/index.js';

export type AccessOutcome = EnumValue<typeof AccessOutcome>;
export const AccessOutcome = vocabularyEnum(ACCESS_OUTCOMES, {
  name: 'AccessOutcome',
  description: 'A field read (GRANTED, MASKED, DENIED), or a query on personal fields: the person or searched value found by the fields (FOUND_BY), or counted over them (COUNTED_BY).',
  valuesConfig: {
    GRANTED: { description: 'A field read and served in full.' },
    MASKED: { description: 'A field read and served masked (a national id shows only its last four digits, other fields "********").' },
    FOUND_BY: { description: 'Found by the fields listed (look-up key, filter, ordering, search); for a CRITERION entry, searched for whether or not anyone was found.' },
    COUNTED_BY: { description: 'Counted by the fields listed (a totalCount over personal criteria).' },
    DENIED: { description: 'A field read, or a query on personal fields, refused.' },
  },
});

export type ChainProblem = EnumValue<typeof ChainProblem>;
export const ChainProblem = vocabularyEnum(CHAIN_PROBLEMS, {
  name: 'ChainProblem',
  description: 'How the access log was tampered with.',
  valuesConfig: {
    CHANGED: { description: 'An entry’s content no longer matches its hash, or its successor’s link to it.' },
    REMOVED: { description: 'Entries are missing (a gap in the sequence, or the chain ends early).' },
    INSERTED: { description: 'An entry the chain never issued (a sequence number taken twice, or past the head).' },
    REORDERED: { description: 'The entries are all there, but out of their chained order.' },
    UNSIGNED: { description: 'The Merkle tree has grown past its last signed checkpoint, or a checkpoint’s signature does not verify with the log’s key.' },
    CONTRADICTED: { description: 'A checkpoint kept outside the audit database (the witness’s, or one saved earlier) gives another root for its tree size: the log was rewritten.' },
  },
});
