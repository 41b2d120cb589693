import { sql, type CompiledQuery, type Kysely, type RawBuilder } from 'kysely';
import { sendCompiled } from '../../../platform/db/query-stats.js';
import { fetchPage, type Keyset, type Page, type PageRequest } from '../../../platform/db/keyset.js';
import { entryHash, GENESIS_HASH, type ChainedEntry } from './chain.js';
import { commitEntries, commitEntry, jsonValue } from './commitment.js';
import type { AccessLogRow, AuditDatabase } from './tables.js';
import type { AccessOutcome, ChainProblem } from './vocabulary.js';

/** One entry as the access recorder hands it over; the repository chains and stores it. */
export interface AccessLogEntry {
  /** Defaults to the time of the append. */
  occurredAt?: Date;
  requestId: string;
  actorSubject: string;
  actorRole: string;
  actorAgency?: string | null;
  clientApp?: string | null;
  operationName?: string | null;
  documentHash?: string | null;
  purpose?: string | null;
  caseReference?: string | null;
  subjectType: string;
  subjectId: string;
  fields: readonly string[];
  outcome: AccessOutcome;
  /** The fields the subject was found by in the request, sorted (none when not found by personal fields). */
  foundBy?: readonly string[];
}

export interface AccessLogWhere {
  subjectType?: string | null;
  subjectId?: string | null;
  /** Entries about any of these subjects (a citizen and the keyed hash of their national id). */
  anyOf?: ReadonlyArray<{ type: string; id: string }> | null;
  /** The actor's subject. */
  actor?: string | null;
  /** The actor's agency. */
  agency?: string | null;
  purpose?: string | null;
  /** FOUND_BY also matches the entries of reads whose subject was found by personal fields (found_by not empty). */
  outcome?: AccessOutcome | null;
  /** Entries at or after this time. */
  from?: Date | null;
  /** Entries before this time. */
  to?: Date | null;
}

export interface ChainVerification {
  intact: boolean;
  /** Entries found consistent before the first problem (all of them when intact). */
  checked: number;
  /** The first entry, in id order, where the chain breaks (none when only the tail is missing). */
  firstBadId?: number;
  problem?: ChainProblem;
}

interface AppendResult {
  ids: string | null;
  pending: number | string;
}

/**
 * The append's one statement (see append), with placeholders in the order append sends its
 * values: the commitments, the request columns' arrays, the entries' own columns as JSON
 * ({r: request number, t: subject type, s: subject id, o: outcome, f: fields, b: found by} per entry).
 */
function appendStatement(db: Kysely<AuditDatabase>): CompiledQuery<AppendResult> {
  const p = (): RawBuilder<unknown> => sql`${null}`;
  const statement = sql<AppendResult>`
      with b (c) as (select ${p()}::bytea),
      r as (
        select * from unnest(${p()}::timestamptz[], ${p()}::text[], ${p()}::text[], ${p()}::text[], ${p()}::text[],
          ${p()}::text[], ${p()}::text[], ${p()}::text[], ${p()}::text[], ${p()}::text[]) with ordinality
          as r (occurred_at, request_id, actor_subject, actor_role, actor_agency, client_app, operation_name, document_hash, purpose, case_reference, request)
      ),
      v as (
        select r.occurred_at, r.request_id, r.actor_subject, r.actor_role, r.actor_agency, r.client_app, r.operation_name, r.document_hash, r.purpose,
          r.case_reference, u.t as subject_type, u.s as subject_id, u.f as fields, u.b as found_by, u.o as outcome, u.ord,
          encode(substring(b.c from length(b.c) / 2 + u.ord::int * 32 - 31 for 32), 'hex') as hash,
          substring(b.c from u.ord::int * 32 - 31 for 16) as salt, substring(b.c from u.ord::int * 32 - 15 for 16) as restricted_salt
        from b cross join rows from (json_to_recordset(${p()}::json) as (r int, t text, s text, o text, f json, b json)) with ordinality as u (r, t, s, o, f, b, ord)
        join r on r.request = u.r
      ),
      e as (
        insert into audit.access_log (occurred_at, request_id, actor_subject, actor_role, actor_agency, client_app, operation_name, document_hash, purpose,
          case_reference, subject_type, subject_id, fields, found_by, outcome, hash)
        select occurred_at, request_id, actor_subject, actor_role, actor_agency, client_app, operation_name, document_hash, purpose,
          case_reference, subject_type, subject_id,
          array(select f from json_array_elements_text(v.fields) with ordinality as j (f, i) order by j.i),
          array(select f from json_array_elements_text(v.found_by) with ordinality as j (f, i) order by j.i)::text[], outcome, hash
        from v order by v.ord
        returning id, hash
      ),
      p as (
        insert into audit.access_log_pending (entry_id, leaf_hash, salt, restricted_salt)
        select e.id, decode(e.hash, 'hex'), v.salt, v.restricted_salt from e join v on v.hash = e.hash
        returning entry_id
      )
      select (select string_agg(e.id::text, ',' order by v.ord) from e join v on v.hash = e.hash) as ids, (select count(*) from p) as pending`;
  const compiled = statement.compile(db);
  if (compiled.parameters.length !== 12) throw new Error(`the access log's append compiled with ${compiled.parameters.length} parameters`);
  return compiled;
}

/** Newest first. */
const KEYSET: Keyset<AccessLogRow> = { name: 'access:id', columns: ['id'], direction: 'desc' };

const VERIFY_BATCH = 1_000;

export class AccessLogRepository {
  private appendStatement: CompiledQuery<AppendResult> | undefined;

  constructor(private readonly db: Kysely<AuditDatabase>) {}

  /**
   * Appends entries with no shared row to lock (issue 15): ids are drawn from the sequence, and
   * the entries and their pending rows (salts and leaf hashes, for the integrator, see
   * integrator.ts) are written in one statement, durable when it returns. Appenders on every
   * replica run side by side; the integrator gives the entries their places in the tree within
   * about a second.
   */
  async append(entries: readonly AccessLogEntry[]): Promise<AccessLogRow[]> {
    if (entries.length === 0) return [];
    const { contents, ids, leafHashes } = await this.store(entries);
    const hex = leafHashes.toString('hex');
    // Rows written out, not spread from the contents: a spread makes each a slow copy.
    return contents.map((c, i) => ({
      id: Number(ids[i]),
      seq: null,
      occurred_at: c.occurred_at,
      request_id: c.request_id,
      actor_subject: c.actor_subject,
      actor_role: c.actor_role,
      actor_agency: c.actor_agency,
      client_app: c.client_app,
      operation_name: c.operation_name,
      document_hash: c.document_hash,
      purpose: c.purpose,
      case_reference: c.case_reference,
      subject_type: c.subject_type,
      subject_id: c.subject_id,
      fields: c.fields,
      found_by: c.found_by,
      outcome: c.outcome,
      prev_hash: null,
      hash: hex.slice(i * 64, i * 64 + 64),
    }));
  }

  /**
   * The same append for a caller that needs nothing back but success (the gateway's access-log
   * writer, whose batches are hundreds of entries): no row is made for each entry. Returns how
   * many entries were stored.
   */
  async write(entries: readonly AccessLogEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    await this.store(entries);
    return entries.length;
  }

  /** The append's statement, sent: the entries' contents, their ids (in entry order) and leaf hashes. */
  private async store(entries: readonly AccessLogEntry[]): Promise<{ contents: EntryContent[]; ids: string[]; leafHashes: Buffer }> {
    const n = entries.length;
    const now = new Date();
    const contents = entries.map((entry) => entryContent(entry, now));
    const { salts, leafHashes } = commitEntries(contents);
    // The columns of a request (its time, caller, operation, purpose, case) once per run of
    // entries that share them (a request's entries come together), one array per column; an
    // entry's own columns (its request's number, subject, outcome, fields), which the gateway
    // writes itself, as one JSON text, written here as JSON.stringify would write it (the
    // fields' list encoded once per run of entries that read the same fields): the driver would
    // quote and escape every element of five more arrays. The statement's text and its
    // parameters' count are the same for every batch size.
    const occurredAt: string[] = [];
    const requestId: string[] = [];
    const actorSubject: string[] = [];
    const actorRole: string[] = [];
    const actorAgency: Array<string | null> = [];
    const clientApp: Array<string | null> = [];
    const operationName: Array<string | null> = [];
    const documentHash: Array<string | null> = [];
    const purpose: Array<string | null> = [];
    const caseReference: Array<string | null> = [];
    let own = '[';
    let previous: EntryContent | undefined;
    let fieldsOf: readonly string[] | undefined;
    let fieldsText = '';
    let foundByOf: readonly string[] | undefined;
    let foundByText = '';
    for (let i = 0; i < n; i++) {
      const c = contents[i]!;
      if (!previous || !sameRequest(previous, c)) {
        occurredAt.push(c.occurred_at.toISOString());
        requestId.push(c.request_id);
        actorSubject.push(c.actor_subject);
        actorRole.push(c.actor_role);
        actorAgency.push(c.actor_agency);
        clientApp.push(c.client_app);
        operationName.push(c.operation_name);
        documentHash.push(c.document_hash);
        purpose.push(c.purpose);
        caseReference.push(c.case_reference);
        previous = c;
      }
      if (!fieldsOf || !sameList(fieldsOf, c.fields)) {
        fieldsOf = c.fields;
        fieldsText = `[${c.fields.map(jsonValue).join(',')}]`;
      }
      if (!foundByOf || !sameList(foundByOf, c.found_by)) {
        foundByOf = c.found_by;
        foundByText = `[${c.found_by.map(jsonValue).join(',')}]`;
      }
      // Named, not positional: the statement reads no number that could be taken for a value (test/server/tracing.test.ts).
      own += `${i === 0 ? '' : ','}{"r":${requestId.length},"t":${jsonValue(c.subject_type)},"s":${jsonValue(c.subject_id)},"o":${jsonValue(c.outcome)},"f":${fieldsText},"b":${foundByText}}`;
    }
    own += ']';
    // One statement: the entries (ids from their identity) and their pending rows, matched by
    // the leaf hash (unique: salted), durable together when it returns. Nothing else is read or
    // locked first, so a log that cannot be written fails at once, and as one statement. The
    // salts and leaf hashes travel as one bytea: 32 bytes of salts per entry in entry order,
    // then 32 bytes of leaf hash per entry.
    const commitments = Buffer.concat([salts, leafHashes]);
    const template = (this.appendStatement ??= appendStatement(this.db));
    // Compiled once (building and compiling it cost more than its parameters), sent with this batch's values.
    const parameters = [commitments, occurredAt, requestId, actorSubject, actorRole, actorAgency, clientApp, operationName, documentHash, purpose, caseReference, own];
    const { rows } = await sendCompiled<AppendResult>(this.db, template, parameters);
    // The ids in entry order, as one text (no row per entry to read back).
    const ids = rows[0]?.ids?.split(',') ?? [];
    if (ids.length !== n || Number(rows[0]!.pending) !== n) throw new Error(`the access log stored ${ids.length} of ${n} entries (${Number(rows[0]?.pending ?? 0)} pending rows)`);
    return { contents, ids, leafHashes };
  }

  /**
   * The design before issue 15, kept as the benchmark's baseline and for the chain's tests:
   * appends entries in order, extending the hash chain. The head row is locked for the length of
   * the transaction, so concurrent appenders (other requests, other replicas) take turns and the
   * chain stays one line; ids are drawn under the lock too, so id order is chain order. The
   * entries go into the tree too (pending rows, as `append`), unless `intoTree` is false (the
   * benchmark's baseline: exactly the append of before).
   */
  async appendChained(entries: readonly AccessLogEntry[], { intoTree = true }: { intoTree?: boolean } = {}): Promise<AccessLogRow[]> {
    if (entries.length === 0) return [];
    const now = new Date();
    return this.db.transaction().execute(async (tx) => {
      const head = await tx.selectFrom('access_log_head').select(['seq', 'hash']).forUpdate().executeTakeFirstOrThrow();
      let seq = Number(head.seq);
      let prevHash = head.hash;
      const values = entries.map((entry) => {
        seq += 1;
        const chained: ChainedEntry = { ...entryContent(entry, now), seq, prev_hash: prevHash };
        prevHash = entryHash(chained);
        return { ...chained, hash: prevHash };
      });
      const rows = await tx.insertInto('access_log').values(values).returningAll().execute();
      await tx.updateTable('access_log_head').set({ seq, hash: prevHash }).execute();
      if (intoTree) {
        await tx
          .insertInto('access_log_pending')
          .values(
            rows.map((row) => {
              const commitment = commitEntry(row);
              return { entry_id: row.id, leaf_hash: commitment.leafHash, salt: commitment.salt, restricted_salt: commitment.restrictedSalt };
            }),
          )
          .execute();
      }
      return rows.sort((a, b) => Number(a.seq) - Number(b.seq));
    });
  }

  async findByIds(ids: readonly number[]): Promise<AccessLogRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('access_log').selectAll().where('id', '=', sql<number>`any(${[...ids]}::bigint[])`).execute();
  }

  private filtered(filter: AccessLogWhere) {
    let q = this.db.selectFrom('access_log').selectAll();
    if (filter.subjectType) q = q.where('subject_type', '=', filter.subjectType);
    if (filter.subjectId) q = q.where('subject_id', '=', filter.subjectId);
    const anyOf = filter.anyOf;
    if (anyOf) {
      q = anyOf.length === 0 ? q.where(sql<boolean>`false`) : q.where((eb) => eb.or(anyOf.map((s) => eb.and([eb('subject_type', '=', s.type), eb('subject_id', '=', s.id)]))));
    }
    if (filter.actor) q = q.where('actor_subject', '=', filter.actor);
    if (filter.agency) q = q.where('actor_agency', '=', filter.agency);
    if (filter.purpose) q = q.where('purpose', '=', filter.purpose);
    const outcome = filter.outcome;
    if (outcome === 'FOUND_BY') q = q.where((eb) => eb.or([eb('outcome', '=', outcome), sql<boolean>`cardinality(found_by) > 0`]));
    else if (outcome) q = q.where('outcome', '=', outcome);
    if (filter.from) q = q.where('occurred_at', '>=', filter.from);
    if (filter.to) q = q.where('occurred_at', '<', filter.to);
    return q;
  }

  /** Every entry matching the filter, oldest first, fetched a batch at a time (exports). */
  async *stream(filter: AccessLogWhere, batchSize = VERIFY_BATCH): AsyncGenerator<AccessLogRow> {
    let after = 0;
    for (;;) {
      const rows = await this.filtered(filter).where('id', '>', after).orderBy('id').limit(batchSize).execute();
      yield* rows;
      if (rows.length < batchSize) return;
      after = Number(rows[rows.length - 1]!.id);
    }
  }

  /** Entries matching the filter, newest first. */
  async list(filter: AccessLogWhere, page: PageRequest): Promise<Page<AccessLogRow>> {
    return fetchPage(this.filtered(filter), KEYSET, page);
  }

  async count(filter: AccessLogWhere): Promise<number> {
    const row = await this.filtered(filter).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Walks the log in id order, a batch at a time, and checks each entry against its hash, its
   * predecessor and its place in the sequence, then the tail against the head. Stops at the
   * first problem. Safe while appends go on: ids are drawn under the chain lock, so rows
   * committed later always come after the walk's position.
   */
  async verify(batchSize = VERIFY_BATCH): Promise<ChainVerification> {
    let checked = 0;
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let prevId: number | undefined;
    let afterId: number | undefined;
    const broken = (problem: ChainProblem, firstBadId?: number): ChainVerification => ({ intact: false, checked, firstBadId, problem });

    for (;;) {
      // Entries appended outside the chain (no seq) are the tree's alone (see tree-verify.ts).
      let q = this.db.selectFrom('access_log').selectAll().where('seq', 'is not', null).orderBy('id').limit(batchSize);
      if (afterId !== undefined) q = q.where('id', '>', afterId);
      const rows = await q.execute();
      if (rows.length === 0) {
        // The walk reached the end: the head must name the entry it stopped at.
        const head = await this.head();
        const lastSeq = expectedSeq - 1;
        if (head.seq === lastSeq) return head.hash === prevHash ? { intact: true, checked } : broken('CHANGED', prevId);
        // Entries past the head were never appended through the chain: only those up to it count.
        if (head.seq < lastSeq) return { ...broken('INSERTED', await this.idOfSeq(head.seq + 1)), checked: head.seq };
        // The head is ahead: either appends landed during the walk (read on), or the tail is gone.
        const more = await this.db.selectFrom('access_log').select('id').where('seq', 'is not', null).where('id', '>', afterId ?? Number.MIN_SAFE_INTEGER).limit(1).execute();
        if (more.length === 0) return broken('REMOVED');
        continue;
      }
      for (const chained of rows) {
        const row = { ...chained, seq: Number(chained.seq) };
        if (entryHash(row) !== row.hash) {
          // A well-formed chain never issued a seq past its head: such a row was slipped in.
          return broken(row.seq > (await this.head()).seq ? 'INSERTED' : 'CHANGED', row.id);
        }
        if (row.seq < expectedSeq) return broken('INSERTED', row.id);
        if (row.seq > expectedSeq) {
          // Entries are missing here: elsewhere in the table (moved) or nowhere (removed).
          return broken((await this.idOfSeq(expectedSeq)) === undefined ? 'REMOVED' : 'REORDERED', row.id);
        }
        // The right place but another predecessor: the previous entry was altered and rehashed.
        if (row.prev_hash !== prevHash) return broken('CHANGED', prevId ?? row.id);
        checked += 1;
        expectedSeq += 1;
        prevHash = row.hash;
        prevId = row.id;
      }
      afterId = rows[rows.length - 1]!.id;
    }
  }

  private async head(): Promise<{ seq: number; hash: string }> {
    const head = await this.db.selectFrom('access_log_head').select(['seq', 'hash']).executeTakeFirstOrThrow();
    return { seq: Number(head.seq), hash: head.hash };
  }

  private async idOfSeq(seq: number): Promise<number | undefined> {
    const row = await this.db.selectFrom('access_log').select('id').where('seq', '=', seq).orderBy('id').executeTakeFirst();
    return row?.id;
  }
}

type EntryContent = ReturnType<typeof entryContent>;

/** Whether two entries share their request's columns (the same request's entries do). */
function sameRequest(a: EntryContent, b: EntryContent): boolean {
  return (
    a.occurred_at.getTime() === b.occurred_at.getTime() &&
    a.request_id === b.request_id &&
    a.actor_subject === b.actor_subject &&
    a.actor_role === b.actor_role &&
    a.actor_agency === b.actor_agency &&
    a.client_app === b.client_app &&
    a.operation_name === b.operation_name &&
    a.document_hash === b.document_hash &&
    a.purpose === b.purpose &&
    a.case_reference === b.case_reference
  );
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** An entry's columns as stored (everything but the id and the chain's). */
function entryContent(entry: AccessLogEntry, now: Date) {
  return {
    occurred_at: entry.occurredAt ?? now,
    request_id: entry.requestId,
    actor_subject: entry.actorSubject,
    actor_role: entry.actorRole,
    actor_agency: entry.actorAgency ?? null,
    client_app: entry.clientApp ?? null,
    operation_name: entry.operationName ?? null,
    document_hash: entry.documentHash ?? null,
    purpose: entry.purpose ?? null,
    case_reference: entry.caseReference ?? null,
    subject_type: entry.subjectType,
    subject_id: entry.subjectId,
    fields: [...entry.fields],
    outcome: entry.outcome,
    found_by: entry.foundBy ? [...entry.foundBy] : [],
  };
}
