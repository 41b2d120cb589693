import type {
  DatasetAccessLevel,
  DatasetLicence,
  ResourceFormat,
  UpdateFrequency,
} from '../db/tables.js';
import { agencies } from '../../reference/seed/agencies.js';
import { DISTRICTS } from '../../reference/seed/units.js';
import { Random, spreadShare } from '../../../seed/random.js';
import { SEED_TODAY } from '../../../seed/scales.js';
import { CATEGORIES, type CategorySeed, type Scope, type SubjectSeed } from './catalogue.js';

export interface DatasetSeed {
  id: number;
  slug: string;
  title: string;
  description: string;
  category: string;
  tags: string[];
  licence: DatasetLicence;
  publisherId: number;
  accessLevel: DatasetAccessLevel;
  updateFrequency: UpdateFrequency;
  downloads: number;
  createdAt: Date;
  updatedAt: Date;
  /** The formats its resources come in, main one first. */
  formats: ResourceFormat[];
}

/** Share of the catalogue open only to agencies (restricted access). */
export const RESTRICTED_SHARE = 0.1;
const YEARS = [2019, 2020, 2021, 2022, 2023, 2024];
const PORTAL_OPENED = Date.UTC(2017, 5, 1);
const DAY = 86_400_000;

interface Place {
  name: string;
  /** "quận Hải Châu", "huyện Hòa Vang", "thành phố Đà Nẵng". */
  phrase: string;
  committeeId?: number;
}

interface TitleDraft {
  title: string;
  category: CategorySeed;
  subject: SubjectSeed;
  place?: Place;
  year?: number;
}

const CITY_PLACE: Place = { name: 'Đà Nẵng', phrase: 'thành phố Đà Nẵng' };

function districtPlaces(): Place[] {
  const committees = agencies().filter((a) => a.kind === 'DISTRICT_COMMITTEE');
  return DISTRICTS.filter((d) => d.wards.length > 0).map((d) => ({
    name: d.name,
    phrase: `${d.kind === 'URBAN_DISTRICT' ? 'quận' : 'huyện'} ${d.name}`,
    committeeId: committees.find((a) => a.name.endsWith(d.name))?.id,
  }));
}

function titleOf(subject: SubjectSeed, place: Place | undefined, year: number | undefined): string {
  let title = subject.text.includes('{place}')
    ? subject.text.replace('{place}', (place ?? CITY_PLACE).phrase)
    : place
      ? `${subject.text} trên địa bàn ${place.phrase}`
      : subject.text;
  if (year !== undefined) title += ` năm ${year}`;
  return title;
}

/** Every title the catalogue can produce, in a fixed order. */
function titlePool(): TitleDraft[] {
  const districts = districtPlaces();
  const drafts: TitleDraft[] = [];
  for (const category of CATEGORIES) {
    for (const subject of category.subjects) {
      const own = subject.districts ? districts.filter((d) => subject.districts!.includes(d.name)) : districts;
      const expand: Record<Scope, () => Array<[Place | undefined, number | undefined]>> = {
        city: () => [[CITY_PLACE, undefined]],
        district: () => own.map((d) => [d, undefined]),
        year: () => YEARS.map((y) => [undefined, y]),
        districtYear: () => own.flatMap((d) => YEARS.map((y): [Place, number] => [d, y])),
      };
      for (const scope of subject.scopes) {
        for (const [place, year] of expand[scope]()) {
          drafts.push({ title: titleOf(subject, place, year), category, subject, place, year });
        }
      }
    }
  }
  return drafts;
}

/**
 * The pool in a seeded order of preference: a weighted draw without replacement (key u^(1/w)),
 * where each category's weight is spread over its titles, so categories get their share of the
 * catalogue whatever their pool size, and snapshots of past years count half.
 */
function drawTitles(seed: number): TitleDraft[] {
  const pool = titlePool();
  const sizes = new Map<string, number>();
  for (const d of pool) sizes.set(d.category.name, (sizes.get(d.category.name) ?? 0) + 1);
  const r = Random.for(seed, 'opendata.catalogue');
  const thisYear = SEED_TODAY.getUTCFullYear();
  return pool
    .map((draft) => {
      const weight = (draft.category.weight / sizes.get(draft.category.name)!) * (draft.year !== undefined && draft.year < thisYear ? 0.5 : 1);
      return { draft, key: r.next() ** (1 / weight) };
    })
    .sort((a, b) => b.key - a.key)
    .map((k) => k.draft);
}

/** Folds a Vietnamese title into a URL slug ("Đà Nẵng" → "da-nang"). */
export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Standard normal draw (Box-Muller). */
function normal(r: Random): number {
  return Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
}

/** A long-tailed positive count: most values near the median, a few very large. */
export function logNormal(r: Random, median: number, sigma: number): number {
  return Math.round(median * Math.exp(sigma * normal(r)));
}

function wholeSeconds(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}

const FREQUENCY_WINDOW_DAYS: Record<UpdateFrequency, number> = {
  DAILY: 1, WEEKLY: 7, MONTHLY: 31, QUARTERLY: 92, YEARLY: 365, IRREGULAR: 0,
};

const FREQUENCY_PHRASE: Record<UpdateFrequency, string> = {
  DAILY: 'cập nhật hằng ngày', WEEKLY: 'cập nhật hằng tuần', MONTHLY: 'cập nhật hằng tháng',
  QUARTERLY: 'cập nhật hằng quý', YEARLY: 'cập nhật hằng năm', IRREGULAR: 'cập nhật khi có thay đổi',
};

const LICENCES: ReadonlyArray<readonly [DatasetLicence, number]> = [
  ['CC-BY-4.0', 45], ['GOV-OPEN', 25], ['ODC-BY', 12], ['CC0-1.0', 12], ['ODbL-1.0', 6],
];

/**
 * The open-data catalogue: `count` distinct titles drawn from the pool, numbered in the order
 * they were published. Each dataset's details come from a stream named by its title, so they do
 * not depend on which other titles were drawn.
 */
export function datasets(seed: number, count: number): DatasetSeed[] {
  const pool = drawTitles(seed);
  const drafts = Array.from({ length: count }, (_, i) => {
    const draft = pool[i % pool.length]!;
    // Past the pool's size (not at the shipped scales) titles repeat as later editions.
    const edition = Math.floor(i / pool.length);
    return edition === 0 ? draft : { ...draft, title: `${draft.title} (phiên bản ${edition + 1})` };
  });
  const agencyById = new Map(agencies().map((a) => [a.id, a]));
  const agencyByCode = new Map(agencies().map((a) => [a.code, a]));
  const today = SEED_TODAY.getTime();

  const rows = drafts.map((draft) => {
    const r = Random.for(seed, 'opendata.dataset', draft.title);
    const { subject, category, place, year } = draft;
    let publisherId = agencyByCode.get(subject.publisher ?? category.publisher)!.id;
    if (place?.committeeId && r.chance(0.5)) publisherId = place.committeeId;

    // A year's data is published during or soon after that year.
    const from = year ? Math.max(PORTAL_OPENED, Date.UTC(year, 0, 15)) : PORTAL_OPENED;
    const to = year ? Math.min(today - 3 * DAY, Date.UTC(year + 1, 5, 30)) : today - 30 * DAY;
    const createdAt = wholeSeconds(from + r.next() * (to - from));
    // A past year's edition of a series is a yearly release; it changes for a while, then rests.
    const finished = year !== undefined && year < SEED_TODAY.getUTCFullYear();
    const updateFrequency: UpdateFrequency = finished && subject.frequency !== 'IRREGULAR' ? 'YEARLY' : subject.frequency;
    const window = FREQUENCY_WINDOW_DAYS[updateFrequency];
    const updatedFrom = finished || window === 0 ? createdAt.getTime() : Math.max(createdAt.getTime(), today - window * DAY);
    const updatedTo = finished ? Math.min(today, createdAt.getTime() + 180 * DAY) : today;
    const updatedAt = wholeSeconds(updatedFrom + r.next() * (updatedTo - updatedFrom));

    const tags = [...new Set([...category.tags, ...subject.tags, ...(place && place !== CITY_PLACE ? [place.name] : []), ...(year ? [String(year)] : [])])];
    return { draft, r, publisherId, createdAt, updatedAt, updateFrequency, tags };
  });

  rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.draft.title < b.draft.title ? -1 : 1));

  const slugs = new Set<string>();
  return rows.map(({ draft, r, publisherId, createdAt, updatedAt, updateFrequency, tags }, index) => {
    const id = index + 1;
    const accessLevel: DatasetAccessLevel = spreadShare(index, RESTRICTED_SHARE, 7) ? 'RESTRICTED' : 'PUBLIC';
    let slug = slugify(draft.title);
    if (slugs.has(slug)) slug = `${slug}-${id}`;
    slugs.add(slug);
    const publisher = agencyById.get(publisherId)!;
    const ageYears = (SEED_TODAY.getTime() - createdAt.getTime()) / (365 * DAY);
    const popularity = (draft.place === CITY_PLACE ? 2 : 1) * (accessLevel === 'RESTRICTED' ? 0.15 : 1) * (0.5 + ageYears);
    const description =
      `${draft.title}. Dữ liệu do ${publisher.name} thu thập, chuẩn hóa và cung cấp trên Cổng dữ liệu mở ` +
      `thành phố Đà Nẵng, ${FREQUENCY_PHRASE[updateFrequency]}.` +
      (accessLevel === 'RESTRICTED' ? ' Chỉ chia sẻ cho cơ quan nhà nước có thẩm quyền theo quy định.' : '');
    const extras: ResourceFormat[] = r.shuffle(['XLSX', 'JSON', 'PDF', 'CSV'] as ResourceFormat[]);
    if (updateFrequency === 'DAILY' || updateFrequency === 'WEEKLY') extras.unshift('API');
    const all = [...new Set([...draft.subject.formats, ...extras])];
    const formats = all.slice(0, Math.max(draft.subject.formats.length, r.int(1, 4)));
    return {
      id, slug, title: draft.title, description, category: draft.category.name, tags,
      licence: r.weighted(LICENCES), publisherId, accessLevel, updateFrequency,
      downloads: Math.max(0, logNormal(r, 60 * popularity, 1.3)),
      createdAt, updatedAt, formats,
    };
  });
}
