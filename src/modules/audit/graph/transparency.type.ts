import { DateTimeResolver } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import type { AccessLogRow, Checkpoint } from '../db/index.js';
import { parseCheckpointText } from '../db/note.js';

/** The row an entry object was made from (AccessLogEntry.from, PersonalDataAccess.from): what its proof fields need. */
export const ENTRY_ROWS = new WeakMap<object, AccessLogRow>();

export function rowOf(entry: object): AccessLogRow {
  const row = ENTRY_ROWS.get(entry);
  if (!row) throw new Error('an access-log entry object without its row');
  return row;
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

@ObjectType('AccessLogCheckpoint', {
  description:
    "A signed checkpoint of the access log's Merkle tree: a C2SP tlog-checkpoint (origin line, tree size, base64 root hash) signed as a C2SP signed-note with the log's Ed25519 key (GET /.well-known/access-log/key). Verify `note` with that key before trusting the other fields; they are read from it.",
})
export class AccessLogCheckpoint {
  @Field(() => String, { description: "The log's origin: the note's first line, and the name of the key that signs it." })
  origin: string;

  @Field(() => Int, { description: 'Entries in the tree at this checkpoint.' })
  treeSize: number;

  @Field(() => String, { description: 'The RFC 9162 root hash of the tree of `treeSize` leaves, base64 (standard alphabet, padded), as on the note.' })
  rootHash: string;

  @Field(() => String, { description: 'The whole signed note, as GET /.well-known/access-log/checkpoint serves the latest one: text, signature lines included.' })
  note: string;

  @Field(() => String, { description: 'The signing key as `<key name>+<key id>`, the key id in 8 hex digits (signed-note).' })
  key: string;

  @Field(() => DateTimeResolver, { description: 'When the log signed it.' })
  signedAt: Date;

  static of(checkpoint: Checkpoint): AccessLogCheckpoint {
    const body = parseCheckpointText(checkpoint.note.slice(0, checkpoint.note.lastIndexOf('\n\n') + 1));
    return Object.assign(new AccessLogCheckpoint(), {
      origin: body.origin,
      treeSize: body.size,
      rootHash: body.root.toString('base64'),
      note: checkpoint.note,
      key: checkpoint.key,
      signedAt: checkpoint.signedAt,
    });
  }
}

@ObjectType('AccessLogInclusionProof', {
  description:
    "Proof that an entry is in the access log: its leaf's RFC 9162 inclusion proof in the tree of a signed checkpoint. Recompute the leaf hash from the entry's commitment, fold it with `hashes` (RFC 9162 §2.1.3.2) and compare the result with the checkpoint's root (the typed client's verifyInclusion does all of it).",
})
export class AccessLogInclusionProof {
  @Field(() => Int, { description: "The entry's leaf: its position in the tree, from 0." })
  leafIndex: number;

  @Field(() => Int, { description: 'Size of the tree the proof is for: the checkpoint’s tree size.' })
  treeSize: number;

  @Field(() => String, { description: 'The leaf hash, SHA-256(0x00 || leaf), base64 (standard alphabet, padded).' })
  leafHash: string;

  @Field(() => [String], { description: 'The audit path from the leaf up to the root (RFC 9162 §2.1.3.1 order), each hash base64 (standard alphabet, padded).' })
  hashes: string[];

  @Field(() => AccessLogCheckpoint, { description: 'The signed checkpoint whose root the proof leads to.' })
  checkpoint: AccessLogCheckpoint;

  static of(leafIndex: number, leafHash: Uint8Array, hashes: readonly Uint8Array[], checkpoint: Checkpoint): AccessLogInclusionProof {
    return Object.assign(new AccessLogInclusionProof(), {
      leafIndex,
      treeSize: checkpoint.treeSize,
      leafHash: base64(leafHash),
      hashes: hashes.map(base64),
      checkpoint: AccessLogCheckpoint.of(checkpoint),
    });
  }
}

@ObjectType('AccessLogCommitment', {
  description:
    "What a reader needs to recompute an entry's leaf: leaf = SHA-256(salt || canonicalForm) over the form's UTF-8 bytes, leaf hash = SHA-256(0x00 || leaf). The canonical form is a JSON array: [\"access-log/v3\", occurredAt, actorRole, actorAgency, purpose, subjectType, subjectId, fields, outcome, foundBy, hex SHA-256(restrictedSalt || restrictedForm)] (entries written before found-by lists: [\"access-log/v2\", …, outcome, hex …], without foundBy); the restricted form holds the request id, the reader's subject, client app, operation, document hash and case reference, which only auditors are shown.",
})
export class AccessLogCommitment {
  @Field(() => String, { nullable: true, description: 'The salt of the canonical form, base64 (standard alphabet, padded); null once erased after the retention period (the tree stays verifiable, the entry no longer matches a leaf).' })
  salt: string | null;

  @Field(() => String, { nullable: true, description: 'The canonical form of the entry (JSON text, hashed as UTF-8); null once the salts are erased.' })
  canonicalForm: string | null;

  @Field(() => String, { nullable: true, description: "The restricted form's salt, base64 (standard alphabet, padded): for auditors and admins only, null in a citizen's view and once erased." })
  restrictedSalt: string | null;

  @Field(() => String, { nullable: true, description: 'The restricted form (JSON text: ["access-log/v2/restricted", requestId, actorSubject, clientApp, operationName, documentHash, caseReference]): for auditors and admins only, null in a citizen’s view and once erased.' })
  restrictedForm: string | null;
}

@ObjectType('AccessLogConsistencyProof', {
  description:
    'Proof that the tree of `toSize` entries extends the tree of `fromSize` entries, unchanged (RFC 9162 §2.1.4): no entry of the smaller tree was altered, removed or reordered. Check it with the typed client’s verifyConsistency against both roots.',
})
export class AccessLogConsistencyProof {
  @Field(() => Int, { description: 'Size of the earlier tree.' })
  fromSize: number;

  @Field(() => Int, { description: 'Size of the later tree.' })
  toSize: number;

  @Field(() => [String], { description: 'The consistency proof (RFC 9162 §2.1.4.1 order), each hash base64 (standard alphabet, padded); empty when the sizes are equal or fromSize is 0.' })
  hashes: string[];

  @Field(() => AccessLogCheckpoint, { nullable: true, description: 'The signed checkpoint of the earlier tree, when the log signed one at that size.' })
  from: AccessLogCheckpoint | null;

  @Field(() => AccessLogCheckpoint, { nullable: true, description: 'The signed checkpoint of the later tree, when the log signed one at that size.' })
  to: AccessLogCheckpoint | null;

  static of(fromSize: number, toSize: number, hashes: readonly Uint8Array[], from?: Checkpoint, to?: Checkpoint): AccessLogConsistencyProof {
    return Object.assign(new AccessLogConsistencyProof(), {
      fromSize,
      toSize,
      hashes: hashes.map(base64),
      from: from ? AccessLogCheckpoint.of(from) : null,
      to: to ? AccessLogCheckpoint.of(to) : null,
    });
  }
}
