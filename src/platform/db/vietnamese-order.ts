import { sql, type Kysely } from 'kysely';

/**
 * Alphabetical order in Vietnamese, the same on every database: a stored sort key whose byte
 * order (`collate "C"`) is the order of ICU's `vi` collation (CLDR), which PostgreSQL servers
 * have as "vi-x-icu" and the embedded database lacks (its ICU holds only the root order).
 *
 * The key is made in SQL by an immutable function of each source (`vi_sort_key(text)`), filled
 * in by a stored generated column: computed once on write, by every write path (COPY, insert,
 * update), and by the migration that adds it for the rows already there.
 *
 * It follows the collation's levels, each a string of one code per character, joined by ' '
 * (lower than every code, so a shorter level sorts first):
 * 1. the letter, in the Vietnamese alphabet a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s
 *    t u ư v (w) x y (z), after spaces, punctuation, symbols and digits (ICU's root order);
 * 2. the tone (and any other accent): none, grave `, hook above ̉, tilde ~, acute ´, dot below ̣;
 * 3. the case: lower case first;
 * 4. characters the table does not know (other scripts), as they are: they sort after z among
 *    themselves by code point, where ICU would order them by their own alphabets.
 * Trailing "none" codes are dropped from levels 2 and 3 (order-preserving: both keys of a
 * comparison have as many codes there, and "none" is the lowest), which keeps keys short:
 * "Nguyễn Văn An" is "qjz¡hq&|aq&`q 00003 100000010001 " (13 letters, the tilde of ễ, the
 * three capitals, no unknown character).
 *
 * Checked against ICU (test/vietnamese-order.test.ts): every seeded name and title, and
 * thousands of random strings of letters, tones, cases, spaces, punctuation and digits, give
 * ICU's order, on PGlite and on PostgreSQL (where it is also compared with "vi-x-icu").
 * Cost: about 30 µs a row on the server (some 40 s for the city's 1.2 million citizens), paid once on write.
 *
 * Changing the table changes keys: that takes a new migration which recreates the functions
 * and rewrites the columns (the stored keys would otherwise keep the old order).
 */

/** Primary order, lowest first, as ICU's `vi` collation sorts these characters (checked on ICU 72). */
const PRIMARY_ORDER: readonly string[] = [
  '\t', '\n', '\u000B', '\f', '\r', ' ',
  '_', '-', '\u2013', '\u2014', ',', ';', ':', '!', '?', '.', '\u00B7', "'", '\u2018', '\u2019', '"', '\u201C', '\u201D',
  '\u00AB', '\u00BB', '(', ')', '[', ']', '{', '}', '@', '*', '/', '\\', '&', '#', '%', '\u2022', '`', '^', '\u00B0',
  '\u2192', '+', '\u00F7', '\u00D7', '<', '=', '>', '|', '~', '\u2212', '$',
  '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
  'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm',
  'n', 'o', 'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z',
  // Stands for every character the table does not know: after all letters, as other scripts are.
  '\uFFFD',
];

/**
 * Accents as secondary differences, lowest first: the five tones in the Vietnamese order, then
 * the other Latin accents in ICU's order (ç, ü, å, ñ... in foreign names).
 */
const ACCENTS: readonly string[] = [
  '\u0300', '\u0309', '\u0303', '\u0301', '\u0323',
  '\u0306', '\u0302', '\u030C', '\u030A', '\u0308', '\u030B', '\u0307', '\u0327', '\u0328', '\u0304', '\u031B',
];

/** Base letter and modifier that are one letter of the Vietnamese alphabet (ICU tailors them as such). */
const VIETNAMESE_LETTERS: Readonly<Record<string, string>> = {
  'a\u0306': 'ă', 'a\u0302': 'â', 'e\u0302': 'ê', 'o\u0302': 'ô', 'o\u031B': 'ơ', 'u\u031B': 'ư',
};

/** Characters ICU ignores at every level (controls, soft hyphen, zero-width characters). */
const IGNORABLE: readonly string[] = [
  ...range(0x01, 0x08), ...range(0x0e, 0x1f), ...range(0x7f, 0x84), ...range(0x86, 0x9f),
  '\u00AD', '\u200B', '\u200C', '\u200D', '\uFEFF',
];

/** Precomposed letters read as base letter + accent (Latin-1, Latin Extended-A, ơ/ư, Latin Extended Additional). */
const DECOMPOSED_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x00c0, 0x017f],
  [0x01a0, 0x01b0],
  [0x1e00, 0x1eff],
];

/** The level separator: lower than every code, so that a shorter level sorts first. */
const SEPARATOR = ' ';
/** Levels 2 and 3: "no accent", "lower case" (and every character that has no case). */
const NONE = '0';
const UPPER = '1';

function range(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));
}

/** Primary codes from '!' up, skipping DEL and the C1 controls (byte order is code point order in UTF-8). */
function primaryCode(weight: number): string {
  const code = 0x21 + weight;
  return String.fromCodePoint(code >= 0x7f ? code + 0x22 : code);
}

/** An accent's code: '1' for the grave, up to '@' for the horn. */
function accentCode(accent: number): string {
  return String.fromCodePoint(0x30 + accent);
}

interface Weights {
  primary: string;
  /** 0: none, else 1 + the index in ACCENTS. */
  accent: number;
  /** Sorts after its lower-case form (upper case, and the no-break space after the space). */
  upper: boolean;
}

/** Every character the key knows, with its weights. */
function buildTable(): Map<string, Weights> {
  const table = new Map<string, Weights>();
  const primaryOf = new Map(PRIMARY_ORDER.map((c, i) => [c, primaryCode(i)]));
  const put = (char: string, letter: string, accent: number, upper: boolean) => {
    if (!table.has(char)) table.set(char, { primary: primaryOf.get(letter)!, accent, upper });
  };
  for (const c of PRIMARY_ORDER) {
    put(c, c, 0, false);
    const upper = c.toUpperCase();
    if (upper !== c && upper.length === 1) put(upper, c, 0, true);
  }
  // The no-break space is a space that differs at the third level, as in ICU.
  put('\u00A0', ' ', 0, true);
  for (const [from, to] of DECOMPOSED_RANGES) {
    for (const char of range(from, to)) {
      const parts = [...char.normalize('NFD')];
      if (parts.length < 2 || char.normalize('NFC') !== char) continue;
      const base = parts[0]!;
      let letter = base.toLowerCase();
      let marks = parts.slice(1);
      // The modifier may follow the tone in NFD (ộ is o, dot below, circumflex: canonical order).
      const modifier = marks.findIndex((m) => VIETNAMESE_LETTERS[letter + m]);
      if (modifier >= 0) [letter, marks] = [VIETNAMESE_LETTERS[letter + marks[modifier]!]!, marks.filter((_, i) => i !== modifier)];
      const accent = marks.length === 0 ? 0 : ACCENTS.indexOf(marks[0]!) + 1;
      // Letters of other alphabets (ł, ø) and two accents on one letter (ǖ) stay unknown.
      if (!primaryOf.has(letter) || marks.length > 1 || (marks.length === 1 && accent === 0)) continue;
      put(char, letter, accent, base !== base.toLowerCase());
    }
  }
  return table;
}

const TABLE = buildTable();

/**
 * `text` as an escape string literal: E'' reads the same whatever standard_conforming_strings
 * the session that runs the function has (a plain '' with a backslash would not).
 */
function literal(text: string): string {
  return `E'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/** A regular-expression bracket of these characters, as \uXXXX escapes and ranges (nothing to quote). */
function bracket(chars: Iterable<string>, negate = false): string {
  const points = [...new Set([...chars].map((c) => c.codePointAt(0)!))].sort((a, b) => a - b);
  const hex = (p: number) => `\\u${p.toString(16).padStart(4, '0')}`;
  const parts: string[] = [];
  for (let i = 0; i < points.length; ) {
    let j = i;
    while (j + 1 < points.length && points[j + 1] === points[j]! + 1) j += 1;
    parts.push(j > i ? `${hex(points[i]!)}-${hex(points[j]!)}` : hex(points[i]!));
    i = j + 1;
  }
  return `[${negate ? '^' : ''}${parts.join('')}]`;
}

/**
 * Characters of Vietnamese names and titles by how often they occur (counted in the seeds):
 * translate() scans its list for each character, so the common ones first make it much faster.
 */
const FREQUENT = [
  ' nhtigcaurosyldưeđàámệôkấvạảốbộơêếăâậịợxụqờýíểớởòứủềựọổúồầẩửéìữãễắóỉ',
  'NTHLPVĐBCDGKMQSXAIOUYRƯÔEÂĂÊƠ',
  '0123456789,.-()/:',
].join('');

function frequencyRank(char: string): number {
  const at = FREQUENT.indexOf(char);
  if (at >= 0) return at;
  return char === char.toLowerCase() ? 1000 : 2000;
}

/**
 * The body of `vi_sort_key(text)`: SQL built-ins only (normalize, regexp_replace, translate,
 * rtrim), which do not depend on the database's locale, so it gives the same key on PGlite and
 * on PostgreSQL 15. Level 1 is one translate() of every character; level 2 first turns every
 * unaccented character into '0' and then translates the few accented ones; level 3 needs only
 * two regular expressions (upper case or not).
 */
export function sortKeySql(): string {
  const known = [...TABLE.keys()].sort((a, b) => frequencyRank(a) - frequencyRank(b));
  const accented = known.filter((c) => TABLE.get(c)!.accent > 0);
  const upper = known.filter((c) => TABLE.get(c)!.upper);
  const primary = known.map((c) => TABLE.get(c)!.primary).join('');
  const accents = accented.map((c) => accentCode(TABLE.get(c)!.accent)).join('');
  const everyKnown = [...known, ...IGNORABLE];
  // k: n with ignorable characters dropped and unknown ones as U+FFFD (sorted after z).
  return `select translate(k, ${literal(known.join(''))}, ${literal(primary)})
    || ${literal(SEPARATOR)} || rtrim(translate(regexp_replace(k, ${literal(bracket(accented, true))}, ${literal(NONE)}, 'g'),
                                   ${literal(NONE + accented.join(''))}, ${literal(NONE + accents)}), ${literal(NONE)})
    || ${literal(SEPARATOR)} || rtrim(regexp_replace(regexp_replace(k, ${literal(bracket(upper, true))}, ${literal(NONE)}, 'g'),
                                   ${literal(bracket([NONE], true))}, ${literal(UPPER)}, 'g'), ${literal(NONE)})
    || ${literal(SEPARATOR)} || regexp_replace(n, ${literal(`${bracket(everyKnown)}+`)}, '', 'g')
  from (select n, regexp_replace(regexp_replace(n, ${literal(bracket(everyKnown, true))}, ${literal('\uFFFD')}, 'g'),
                                 ${literal(bracket(IGNORABLE))}, '', 'g') as k
        from (select normalize($1, NFC) collate "C" as n) as normalized) as marked`;
}

/**
 * Creates `<schema>.vi_sort_key(text)`, once per source (each source may be a database of its
 * own). Immutable: it reads nothing but its argument, so a generated column and an index may use it.
 */
export async function createSortKeyFunction(db: Kysely<unknown>, schema: string): Promise<void> {
  const body = sortKeySql();
  const quote = '$vi_sort_key$';
  if (body.includes(quote)) throw new Error('vi_sort_key: the body holds its own quote');
  await sql`create or replace function ${sql.id(schema, 'vi_sort_key')}(text) returns text
    language sql immutable strict parallel safe
    as ${sql.raw(`${quote}${body}${quote}`)}`.execute(db);
}

/**
 * Adds `<column>_sort`, the stored Vietnamese sort key of `column`; adding it computes the key
 * of every row already in the table. Keysets walk it with the id, in byte order.
 */
export async function addSortKeyColumn(db: Kysely<unknown>, schema: string, table: string, column: string): Promise<void> {
  await sql`alter table ${sql.id(schema, table)}
    add column ${sql.id(`${column}_sort`)} text collate "C" not null
    generated always as (${sql.id(schema, 'vi_sort_key')}(${sql.id(column)})) stored`.execute(db);
}

/**
 * Replaces the indexes that served an ordering by the raw text with ones on its sort key,
 * `[...prefix, key, id]` each (a filter column first where lists page inside it).
 */
export async function reindexOnSortKey(
  db: Kysely<unknown>,
  schema: string,
  table: string,
  replaced: ReadonlyArray<{ drop: string; create: string; columns: readonly string[] }>,
): Promise<void> {
  for (const { drop, create, columns } of replaced) {
    await sql`drop index if exists ${sql.id(schema, drop)}`.execute(db);
    await sql`create index ${sql.id(create)} on ${sql.id(schema, table)} (${sql.join(columns.map((c) => sql.id(c)))})`.execute(db);
  }
}
