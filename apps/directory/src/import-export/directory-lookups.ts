import { EntityManager } from 'typeorm';
import { HSDS_TABLES } from '../hsds/hsds-tables';
import { HsdsPackage } from './hsds-package';
import type { ImportReport } from './import-run';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids that can be in a uuid column; anything else is a validation problem reported elsewhere, not a match. */
export const uuids = (ids: Iterable<string>): string[] => [...ids].filter((id) => UUID.test(id));

/** What an import asks of the directory about its rows, through one manager (the transaction's, or one beside it). */
export class DirectoryLookups {
  constructor(private readonly manager: EntityManager) {}

  async organizationExists(id: string): Promise<boolean> {
    const [found] = await this.manager.query(`SELECT 1 FROM network_organization WHERE id::text = $1`, [id]);
    return found !== undefined;
  }

  async existingIds(table: string, ids: string[]): Promise<Set<string>> {
    const rows: { id: string }[] = await this.manager.query(`SELECT id::text FROM hsds_${table} WHERE id = ANY ($1::uuid[])`, [uuids(ids)]);
    return new Set(rows.map((row) => row.id));
  }

  async locationsOf(serviceAtLocationIds: string[]): Promise<string[]> {
    const rows: { location_id: string }[] = await this.manager.query(
      `SELECT DISTINCT location_id FROM hsds_service_at_location WHERE id = ANY ($1::uuid[])`,
      [serviceAtLocationIds],
    );
    return rows.map((row) => row.location_id);
  }

  /**
   * Counted as the table's rows less the import's rows already there, and sampled along the primary key:
   * testing every row of the directory against the import grew with the directory.
   */
  async absent(pkg: HsdsPackage): Promise<ImportReport['absent']> {
    const absent: ImportReport['absent'] = {};
    for (const table of HSDS_TABLES) {
      const ids = [...pkg.ids(table.name)];
      if (!ids.length) continue;
      const { total, sample } = await this.rowsBeside(table.name, ids);
      const count = total - (await this.existingIds(table.name, ids)).size;
      if (count) absent[table.name] = { count, sample };
    }
    return absent;
  }

  /** Rows of a table now, and a sample of those the import does not hold. */
  async rowsBeside(table: string, ids: string[]): Promise<RowsBeside> {
    const [row] = await this.manager.query(
      `SELECT (SELECT count(*) FROM hsds_${table}) AS total,
              ARRAY(SELECT id::text FROM hsds_${table} WHERE id <> ALL ($1::uuid[]) ORDER BY id LIMIT 20) AS sample`,
      [uuids(ids)],
    );
    return { total: Number(row.total), sample: row.sample };
  }

  /**
   * Services whose search rows an import may change: their own rows, or their organization's, locations'
   * (the locations the package's listings left among them: one may be hidden no more), terms'. What the
   * package itself links is read from the package; the directory is asked only for its existing rows that
   * point at the package's, one table at a time through an index (joins over the directory's tables grew
   * with the directory, whatever the import's size), and only for rows that were there before: nothing
   * outside the package can point at a row the import created.
   */
  async touchedServices(pkg: HsdsPackage, created: ReadonlyMap<string, Set<string>>, vacated: string[]): Promise<string[]> {
    const touched = new Set(pkg.ids('service'));
    const locations = new Set([...pkg.ids('location'), ...vacated]);
    const serviceAtLocations = new Set<string>();
    const linked = (table: string, field: string, into: Set<string>) => {
      for (const { record } of pkg.rows(table)) if (typeof record[field] === 'string') into.add(record[field] as string);
    };
    for (const table of ['service_at_location', 'language', 'service_area', 'schedule']) linked(table, 'service_id', touched);
    for (const { record } of pkg.rows('attribute')) {
      if (record.link_entity === 'service' && typeof record.link_id === 'string') touched.add(record.link_id);
    }
    for (const table of ['address', 'language', 'schedule']) linked(table, 'location_id', locations);
    linked('schedule', 'service_at_location_id', serviceAtLocations);
    const existing = (table: string, ids: Iterable<string>) => [...ids].filter((id) => !created.get(table)?.has(id));
    const queries: [string, string[]][] = [
      [`SELECT id FROM hsds_service WHERE organization_id = ANY ($1::uuid[])`, existing('organization', pkg.ids('organization'))],
      [`SELECT service_id AS id FROM hsds_service_at_location WHERE location_id = ANY ($1::uuid[])`, existing('location', locations)],
      [`SELECT service_id AS id FROM hsds_service_at_location WHERE id = ANY ($1::uuid[])`, existing('service_at_location', serviceAtLocations)],
      [`SELECT link_id AS id FROM hsds_attribute WHERE taxonomy_term_id = ANY ($1::uuid[]) AND link_entity = 'service'`, existing('taxonomy_term', pkg.ids('taxonomy_term'))],
    ];
    for (const [sql, ids] of queries) {
      if (!ids.length) continue;
      for (const row of (await this.manager.query(sql, [uuids(ids)])) as { id: string }[]) touched.add(row.id);
    }
    return uuids(touched);
  }
}

/** A table's rows, and a sample of those an import does not hold. */
export interface RowsBeside {
  total: number;
  sample: string[];
}

/**
 * Lookups asked one at a time, in order: beside an import's transaction, through the pool (a connection of
 * their own); without a connection to spare, through the transaction's own.
 */
export class SideQueries {
  private last: Promise<unknown> = Promise.resolve();

  constructor(private readonly lookups: DirectoryLookups) {}

  run<T>(query: (lookups: DirectoryLookups) => Promise<T>): Promise<T> {
    const next = this.last.then(() => query(this.lookups));
    this.last = next.catch(() => undefined);
    return next;
  }
}
