import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { gatewayError } from '../../../platform/errors.js';
import { canonicalForm, restrictedForm } from '../db/index.js';
import { AccessLogEntry, PersonalDataAccess } from './access-log.type.js';
import { AccessLogCheckpoint, AccessLogCommitment, AccessLogConsistencyProof, AccessLogInclusionProof, rowOf } from './transparency.type.js';

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

const TREE_SIZE_ARG = {
  nullable: true,
  description: 'Prove against the signed checkpoint of this tree size (one the log signed, e.g. one saved earlier); the latest checkpoint when left out.',
} as const;

/** The entry's inclusion proof against the latest checkpoint (or the one of `treeSize`): a page of proofs is two statements. */
async function inclusionProof(entry: object, treeSize: number | null | undefined, ctx: GraphContext): Promise<AccessLogInclusionProof | null> {
  const { audit } = ctx.loaders;
  const leaf = await audit.entryLeaf.load(Number(rowOf(entry).id));
  if (!leaf || leaf.leafIndex === null) return null;
  const checkpoint = treeSize == null ? await audit.latestCheckpoint() : await audit.checkpointAt.load(treeSize);
  if (!checkpoint || leaf.leafIndex >= checkpoint.treeSize) return null;
  const hashes = await audit.inclusionProofAt(checkpoint.treeSize).load(leaf.leafIndex);
  return AccessLogInclusionProof.of(leaf.leafIndex, leaf.leafHash, hashes, checkpoint);
}

async function commitment(entry: object, ctx: GraphContext, restricted: boolean): Promise<AccessLogCommitment | null> {
  const row = rowOf(entry);
  const leaf = await ctx.loaders.audit.entryLeaf.load(Number(row.id));
  if (!leaf) return null;
  const kept = leaf.salt !== null && leaf.restrictedSalt !== null;
  return Object.assign(new AccessLogCommitment(), {
    salt: leaf.salt ? base64(leaf.salt) : null,
    canonicalForm: kept ? canonicalForm(row, leaf.restrictedSalt!) : null,
    restrictedSalt: restricted && leaf.restrictedSalt ? base64(leaf.restrictedSalt) : null,
    restrictedForm: restricted && kept ? restrictedForm(row) : null,
  });
}

const INCLUSION = {
  nullable: true,
  description:
    "Proof that this entry is in the log: its leaf's inclusion proof against a signed checkpoint. Null for the second or so before the integrator has put the entry in the tree, or when the tree of `treeSize` does not contain it.",
} as const;

const COMMITMENT = {
  nullable: true,
  description: "What is needed to recompute this entry's leaf from the entry (its salt and canonical form); null only for an entry the log never sequenced.",
} as const;

@Resolver(() => AccessLogEntry)
export class AccessLogEntryTreeResolver {
  @FieldResolver(() => Int, { description: 'Position in the hash chain.' })
  async seq(@Root() entry: AccessLogEntry, @Ctx() ctx: GraphContext): Promise<number> {
    const row = rowOf(entry);
    if (row.seq !== null) return Number(row.seq);
    // Outside the chain, the position is the leaf's (the chained entries are leaves seq - 1).
    const leaf = await ctx.loaders.audit.entryLeaf.load(Number(row.id));
    return leaf?.leafIndex == null ? 0 : leaf.leafIndex + 1;
  }

  @FieldResolver(() => AccessLogInclusionProof, INCLUSION)
  inclusionProof(@Root() entry: AccessLogEntry, @Arg('treeSize', () => Int, TREE_SIZE_ARG) treeSize: number | null, @Ctx() ctx: GraphContext): Promise<AccessLogInclusionProof | null> {
    return inclusionProof(entry, treeSize, ctx);
  }

  @FieldResolver(() => AccessLogCommitment, COMMITMENT)
  commitment(@Root() entry: AccessLogEntry, @Ctx() ctx: GraphContext): Promise<AccessLogCommitment | null> {
    return commitment(entry, ctx, true);
  }
}

@Resolver(() => PersonalDataAccess)
export class PersonalDataAccessTreeResolver {
  @FieldResolver(() => AccessLogInclusionProof, INCLUSION)
  inclusionProof(@Root() entry: PersonalDataAccess, @Arg('treeSize', () => Int, TREE_SIZE_ARG) treeSize: number | null, @Ctx() ctx: GraphContext): Promise<AccessLogInclusionProof | null> {
    return inclusionProof(entry, treeSize, ctx);
  }

  @FieldResolver(() => AccessLogCommitment, {
    ...COMMITMENT,
    description: `${COMMITMENT.description} The restricted part (the reader's identity, the request, the case) stays a salted hash here.`,
  })
  commitment(@Root() entry: PersonalDataAccess, @Ctx() ctx: GraphContext): Promise<AccessLogCommitment | null> {
    return commitment(entry, ctx, false);
  }
}

@Resolver()
export class AccessLogTreeResolver {
  @Query(() => AccessLogCheckpoint, {
    nullable: true,
    description: "The access log's latest signed checkpoint (or the one of `treeSize`), for everyone: what inclusion and consistency proofs lead to. Null when the log signed none of that size.",
  })
  async accessLogCheckpoint(
    @Arg('treeSize', () => Int, { nullable: true, description: 'The checkpoint of this tree size; the latest when left out.' }) treeSize: number | null,
    @Ctx() ctx: GraphContext,
  ): Promise<AccessLogCheckpoint | null> {
    const checkpoint = treeSize == null ? await ctx.loaders.audit.latestCheckpoint() : await ctx.loaders.audit.checkpointAt.load(treeSize);
    return checkpoint ? AccessLogCheckpoint.of(checkpoint) : null;
  }

  @Query(() => AccessLogConsistencyProof, {
    nullable: true,
    description: 'Proof that the log of `toSize` entries extends the log of `fromSize` entries unchanged (RFC 9162 consistency proof), for auditors and admins.',
  })
  async accessLogConsistency(
    @Arg('fromSize', () => Int, { description: 'Size of the earlier tree (a checkpoint seen or saved before).' }) fromSize: number,
    @Arg('toSize', () => Int, { nullable: true, description: 'Size of the later tree; the latest checkpoint’s when left out.' }) toSize: number | null,
    @Ctx() ctx: GraphContext,
  ): Promise<AccessLogConsistencyProof> {
    if (!ctx.access.seesAll('accessLog')) throw gatewayError('FORBIDDEN', 'Consistency proofs of the access log are for auditors and admins');
    const latest = await ctx.loaders.audit.latestCheckpoint();
    const to = toSize ?? latest?.treeSize ?? 0;
    const size = latest?.treeSize ?? 0;
    if (fromSize < 0 || fromSize > to || to > size) throw gatewayError('BAD_USER_INPUT', `Sizes must satisfy 0 ≤ fromSize ≤ toSize ≤ ${size} (the latest checkpoint)`);
    const [hashes, fromCheckpoint, toCheckpoint] = await Promise.all([
      ctx.repos.audit.accessLogTree.consistencyProof(fromSize, to),
      ctx.loaders.audit.checkpointAt.load(fromSize),
      ctx.loaders.audit.checkpointAt.load(to),
    ]);
    return AccessLogConsistencyProof.of(fromSize, to, hashes, fromCheckpoint ?? undefined, toCheckpoint ?? undefined);
  }
}
