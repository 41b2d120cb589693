import type { ResourceFormat } from '../db/tables.js';
import { Random } from '../../../seed/random.js';
import { logNormal, type DatasetSeed } from './datasets.js';

const PORTAL = 'https://opendata.danang.gov.vn';

const NAMES: Record<ResourceFormat, string> = {
  CSV: 'Dữ liệu định dạng CSV',
  XLSX: 'Bảng tính Excel (XLSX)',
  JSON: 'Dữ liệu định dạng JSON',
  GeoJSON: 'Dữ liệu bản đồ (GeoJSON)',
  PDF: 'Văn bản, báo cáo (PDF)',
  API: 'API truy xuất dữ liệu',
};

/** Median file size in bytes by format (a live API has none). */
const MEDIAN_BYTES: Record<ResourceFormat, number | null> = {
  CSV: 180_000, XLSX: 260_000, JSON: 420_000, GeoJSON: 1_600_000, PDF: 900_000, API: null,
};

/** One resource per format of each dataset, numbered in dataset order, as COPY rows. */
export function* resourceRows(seed: number, catalogue: readonly DatasetSeed[]): Generator<unknown[]> {
  let id = 0;
  for (const dataset of catalogue) {
    const r = Random.for(seed, 'opendata.resources', dataset.id);
    for (const format of dataset.formats) {
      id += 1;
      const median = MEDIAN_BYTES[format];
      const url = format === 'API'
        ? `${PORTAL}/api/3/action/datastore_search?resource_id=${id}`
        : `${PORTAL}/dataset/${dataset.slug}/resource/${id}/download/du-lieu.${format.toLowerCase()}`;
      // The main file comes with the dataset; other formats are added by its last update.
      const added = Math.floor((r.next() * (dataset.updatedAt.getTime() - dataset.createdAt.getTime())) / 1000) * 1000;
      const createdAt = new Date(dataset.createdAt.getTime() + (format === dataset.formats[0] ? 0 : added));
      yield [id, dataset.id, NAMES[format], format, url, median === null ? null : Math.max(1_024, logNormal(r, median, 0.9)), createdAt];
    }
  }
}
