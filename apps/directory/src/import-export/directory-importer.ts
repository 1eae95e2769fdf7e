import type { PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { Outbox } from '@nwd/messaging';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { HSDS_TABLES, HsdsRecord, HsdsTable } from '../listings/hsds-tables';
import { ListingIndex } from '../listings/listing-index';
import { copyRows } from './copy-rows';
import { checkForeignKeys, HsdsPackage, ImportProblem } from './hsds-package';
import { ImportedServiceChanges } from './imported-service-changes';

export interface ImportOptions {
  /** The network organization that maintains the imported services. */
  maintainerOrganizationId?: string;
  /** Validate and report, change nothing. */
  dryRun?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface TableCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImportReport {
  applied: boolean;
  problems: ImportProblem[];
  /** Per table: rows inserted, updated, unchanged (all zero when not applied). */
  counts: Record<string, TableCounts>;
  /**
   * Per table of the import: rows the directory holds that the import does not. Re-imports upsert by id and
   * delete nothing; this says what a full replacement would remove.
   */
  absent: Record<string, { count: number; sample: string[] }>;
}

const quote = (name: string) => `"${name}"`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids that can be in a uuid column; anything else is a validation problem reported elsewhere, not a match. */
const uuids = (ids: Iterable<string>): string[] => [...ids].filter((id) => UUID.test(id));

/**
 * Applies a validated HSDS package in one transaction: every row is upserted by id, its references proven,
 * the derived need mapping and search rows follow, and what changed of services others rely on is announced
 * (directory.v1.service-updated, through the outbox). Any problem means nothing changed.
 */
export class DirectoryImporter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly index: ListingIndex,
    private readonly outbox: Outbox,
  ) {}

  async run(pkg: HsdsPackage, options: ImportOptions = {}): Promise<ImportReport> {
    const problems = pkg.problems;
    if (options.maintainerOrganizationId) {
      const [found] = await this.dataSource.query(`SELECT 1 FROM network_organization WHERE id::text = $1`, [options.maintainerOrganizationId]);
      if (!found) problems.push({ file: '(options)', field: 'maintainer', message: `no network organization ${options.maintainerOrganizationId}` });
    }
    const referenced = await checkForeignKeys(pkg, (table, ids) => this.existingIds(this.dataSource.manager, table, ids));
    const report: ImportReport = { applied: false, problems, counts: {}, absent: {} };
    if (problems.length || options.dryRun) {
      report.absent = await this.absent(this.dataSource.manager, pkg);
      return report;
    }

    // Read on a connection of its own while the import writes: counting a table grows with the directory,
    // and beside the writing transaction it takes no time of the import's.
    const present = this.present(pkg);
    const beside = this.beside(pkg);
    beside.catch(() => undefined); // awaited below; a failed import must not leave it unhandled
    // The transaction waits for the lookups: with a single connection they must be done before it takes it.
    if (((this.dataSource.options as PostgresConnectionOptions).extra?.max ?? 10) < 2) await Promise.all(present.values());
    try {
      try {
        await this.dataSource.transaction((manager) => this.apply(manager, pkg, referenced, options, report, present));
      } catch (error) {
        // Another writer added one of the import's new rows between the lookup and the copy: all again, by upsert.
        if (!isUniqueViolation(error)) throw error;
        report.counts = {};
        await this.dataSource.transaction((manager) => this.apply(manager, pkg, referenced, options, report, undefined));
      }
    } catch (error) {
      await beside.catch(() => undefined);
      if (!(error instanceof ImportRefused)) throw error;
      report.counts = {};
      report.absent = await this.absent(this.dataSource.manager, pkg);
      return report;
    }
    // Upserts never delete, so the rows beside the import before it are the rows beside it now: the table's
    // rows then, less the import's rows that were there already (updated or unchanged).
    for (const [table, { total, sample }] of await beside) {
      const counts = report.counts[table];
      const count = total - (counts ? counts.updated + counts.unchanged : 0);
      if (count) report.absent[table] = { count, sample };
    }
    report.applied = true;
    return report;
  }

  /**
   * Writes the package. Rows the directory did not hold (`present`, per table, looked up beforehand) go in
   * with COPY; the others are copied into a temporary table and upserted from there, by id, unchanged rows
   * not rewritten. Without `present` every row takes the upsert, which is safe whatever other writers do
   * meanwhile.
   */
  private async apply(
    manager: EntityManager,
    pkg: HsdsPackage,
    referenced: Map<string, Set<string>>,
    options: ImportOptions,
    report: ImportReport,
    present: Map<string, Promise<Set<string>>> | undefined,
  ): Promise<void> {
    const changes = await ImportedServiceChanges.read(manager, uuids(pkg.ids('service')));
    const ownChecks = await this.checksReferencesItself(manager);
    if (ownChecks) {
      // The package's references were proven against the package and the directory before the transaction;
      // what the directory held then must still be there and stay there until commit.
      await this.holdReferenced(manager, pkg, referenced);
      await manager.query(`SET LOCAL session_replication_role = replica`);
    }
    const total = pkg.size;
    const estimated = await this.estimatedRows(manager);
    const client: PoolClient = await manager.queryRunner!.connect();
    let done = 0;
    /** Per table, the import's rows the directory did not hold before it (known only when looked up beforehand). */
    const created = new Map<string, Set<string>>();
    for (const table of HSDS_TABLES) {
      const rows = pkg.rows(table.name).map((source) => source.record);
      if (!rows.length) continue;
      const columns = table.fields.map((field) => field.name);
      const counts: TableCounts = (report.counts[table.name] = { inserted: 0, updated: 0, unchanged: 0 });
      // A COPY straight into the table costs about three quarters of staging and upserting the same rows.
      const there = await present?.get(table.name);
      const isNew = (record: HsdsRecord) => there !== undefined && !there.has(String(record.id).toLowerCase());
      const fresh = rows.filter(isNew);
      const known = there ? rows.filter((record) => !isNew(record)) : rows;
      if (fresh.length) {
        created.set(table.name, new Set(fresh.map((record) => String(record.id))));
        await copyRows(client, `hsds_${table.name}`, columns, fresh);
        counts.inserted += fresh.length;
      }
      if (known.length) {
        const staged = `staged_hsds_${table.name}`;
        await manager.query(`CREATE TEMPORARY TABLE ${staged} ON COMMIT DROP AS SELECT ${columns.map(quote).join(', ')} FROM hsds_${table.name} WITH NO DATA`);
        await copyRows(client, staged, columns, known);
        const [result] = await manager.query(upsertSql(table, staged));
        await manager.query(`DROP TABLE ${staged}`);
        counts.inserted += Number(result.inserted);
        counts.updated += Number(result.written) - Number(result.inserted);
        counts.unchanged += known.length - Number(result.written);
      }
      done += rows.length;
      options.onProgress?.(done, total);
    }
    await this.refreshStatistics(manager, pkg, estimated);
    // Everything after the HSDS rows (maintainer, search rows) is checked row by row again.
    if (ownChecks) await manager.query(`SET LOCAL session_replication_role = origin`);
    const serviceIds = await this.touchedServices(manager, pkg, created);
    if (options.maintainerOrganizationId) {
      await manager.query(`UPDATE hsds_service SET maintainer_organization_id = $1 WHERE id = ANY ($2::uuid[])`, [
        options.maintainerOrganizationId,
        [...pkg.ids('service')],
      ]);
    }
    await changes.announce(manager, this.outbox, new Date());
    if (pkg.ids('taxonomy_term').size || pkg.ids('taxonomy').size) await this.index.refreshNeedDomains(manager);
    await this.index.refreshServices(manager, serviceIds);
  }

  /** Per HSDS table, the planner's estimate of its rows (-1: never analyzed). */
  private async estimatedRows(manager: EntityManager): Promise<Map<string, number>> {
    const rows: { name: string; reltuples: number }[] = await manager.query(
      `SELECT relname AS name, reltuples FROM pg_class WHERE relname = ANY ($1::text[]) AND relkind = 'r'`,
      [HSDS_TABLES.map((table) => `hsds_${table.name}`)],
    );
    return new Map(rows.map((row) => [row.name, Number(row.reltuples)]));
  }

  /**
   * Gathers the planner's statistics for the tables this import at least doubled, before the statements
   * that read them join the import's rows. A first import into an empty directory otherwise plans the
   * search rows' schedule lookups without any (a column with no statistics is taken to be almost never
   * NULL): 27 s instead of 0.2 s for 20,000 services. Only the id columns, which the joins use: about
   * 0.2 s for 20,000 services. Autovacuum would gather them too, after the commit.
   */
  private async refreshStatistics(manager: EntityManager, pkg: HsdsPackage, estimated: Map<string, number>): Promise<void> {
    for (const table of HSDS_TABLES) {
      const imported = pkg.tables.get(table.name)?.size ?? 0;
      if (!imported || imported < (estimated.get(`hsds_${table.name}`) ?? 0)) continue;
      const keys = table.fields.filter((field) => field.name === 'id' || field.name.endsWith('_id')).map((field) => quote(field.name));
      await manager.query(`ANALYZE hsds_${table.name} (${keys.join(', ')})`);
    }
  }

  /**
   * Whether this import may skip the per-row foreign-key triggers of the HSDS tables and check its
   * references itself, as one lookup per table (the deferred triggers ran one query per row at commit:
   * a sixth of an import's time). Only the foreign-key triggers may be skipped: with any other trigger on
   * these tables, or without the right to set `session_replication_role`, the triggers run as usual.
   * Other writers are never affected: the setting is this transaction's.
   */
  private async checksReferencesItself(manager: EntityManager): Promise<boolean> {
    const [row] = await manager.query(
      `SELECT has_parameter_privilege('session_replication_role', 'SET')
              AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = ANY ($1::text[]::regclass[])) AS allowed`,
      [HSDS_TABLES.map((table) => `hsds_${table.name}`)],
    );
    return row.allowed === true;
  }

  /**
   * Locks the directory's rows the package refers to (as a foreign-key check does), so that no other
   * writer can delete them before the import commits. One that went between the check and this
   * transaction refuses the import, reported per row.
   */
  private async holdReferenced(manager: EntityManager, pkg: HsdsPackage, referenced: Map<string, Set<string>>): Promise<void> {
    let vanished = false;
    for (const [table, ids] of referenced) {
      if (!ids.size) continue;
      const rows: unknown[] = await manager.query(`SELECT 1 FROM hsds_${table} WHERE id = ANY ($1::uuid[]) FOR KEY SHARE`, [[...ids]]);
      if (rows.length !== ids.size) vanished = true;
    }
    if (!vanished) return;
    await checkForeignKeys(pkg, (table, ids) => this.existingIds(manager, table, ids));
    throw new ImportRefused();
  }

  private async existingIds(manager: EntityManager, table: string, ids: string[]): Promise<Set<string>> {
    const rows: { id: string }[] = await manager.query(`SELECT id::text FROM hsds_${table} WHERE id = ANY ($1::uuid[])`, [uuids(ids)]);
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Counted as the table's rows less the import's rows already there, and sampled along the primary key:
   * testing every row of the directory against the import grew with the directory.
   */
  private async absent(manager: EntityManager, pkg: HsdsPackage): Promise<ImportReport['absent']> {
    const absent: ImportReport['absent'] = {};
    for (const table of HSDS_TABLES) {
      const ids = pkg.ids(table.name);
      if (!ids.size) continue;
      const [row] = await manager.query(
        `SELECT (SELECT count(*) FROM hsds_${table.name}) - (SELECT count(*) FROM hsds_${table.name} WHERE id = ANY ($1::uuid[])) AS count,
                ARRAY(SELECT id::text FROM hsds_${table.name} WHERE id <> ALL ($1::uuid[]) ORDER BY id LIMIT 20) AS sample`,
        [uuids(ids)],
      );
      const count = Number(row.count);
      if (count) absent[table.name] = { count, sample: row.sample };
    }
    return absent;
  }

  /**
   * Per table of the import, which of its rows the directory holds, looked up table by table on a connection
   * of their own while the import writes the tables before. A row another writer adds after the lookup
   * makes the copy fail and the import run again by upsert; one deleted after it is upserted as new.
   */
  private present(pkg: HsdsPackage): Map<string, Promise<Set<string>>> {
    const present = new Map<string, Promise<Set<string>>>();
    let previous: Promise<unknown> = Promise.resolve();
    for (const table of HSDS_TABLES) {
      const ids = pkg.tables.get(table.name);
      if (!ids?.size) continue;
      const lookup = previous.then(() => this.existingIds(this.dataSource.manager, table.name, [...ids.keys()]));
      lookup.catch(() => undefined); // awaited by the transaction, which may end before it asks
      present.set(table.name, lookup);
      previous = lookup.catch(() => undefined);
    }
    return present;
  }

  /** Per table of the import: its rows in the directory now, and a sample of those the import does not hold. */
  private async beside(pkg: HsdsPackage): Promise<Map<string, { total: number; sample: string[] }>> {
    const beside = new Map<string, { total: number; sample: string[] }>();
    for (const table of HSDS_TABLES) {
      const ids = pkg.ids(table.name);
      if (!ids.size) continue;
      const [row] = await this.dataSource.query(
        `SELECT (SELECT count(*) FROM hsds_${table.name}) AS total,
                ARRAY(SELECT id::text FROM hsds_${table.name} WHERE id <> ALL ($1::uuid[]) ORDER BY id LIMIT 20) AS sample`,
        [uuids(ids)],
      );
      beside.set(table.name, { total: Number(row.total), sample: row.sample });
    }
    return beside;
  }

  /**
   * Services whose search rows an import may change: their own rows, or their organization's, locations',
   * terms'. What the package itself links is read from the package; the directory is asked only for its
   * existing rows that point at the package's, one table at a time through an index (joins over the
   * directory's tables grew with the directory, whatever the import's size), and only for rows that were
   * there before: nothing outside the package can point at a row the import created.
   */
  private async touchedServices(manager: EntityManager, pkg: HsdsPackage, created: Map<string, Set<string>>): Promise<string[]> {
    const touched = new Set(pkg.ids('service'));
    const locations = new Set(pkg.ids('location'));
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
      for (const row of (await manager.query(sql, [uuids(ids)])) as { id: string }[]) touched.add(row.id);
    }
    return uuids(touched);
  }
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (error as { code?: string }).code;
  return code === '23505';
}

/** Rolls the import's transaction back; the problems are in the package. */
class ImportRefused extends Error {
  constructor() {
    super('import refused');
  }
}

/** Upsert of the staged rows; rows whose values did not change are not rewritten. */
function upsertSql(table: HsdsTable, staged: string): string {
  const columns = table.fields.map((field) => quote(field.name));
  const target = `hsds_${table.name}`;
  const updated = columns.filter((c) => c !== '"id"');
  return `
    WITH written AS (
      INSERT INTO ${target} (${columns.join(', ')})
      SELECT ${columns.join(', ')} FROM ${staged}
      ON CONFLICT (id) DO UPDATE SET ${updated.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
      WHERE (${updated.map((c) => `${target}.${c}`).join(', ')}) IS DISTINCT FROM (${updated.map((c) => `EXCLUDED.${c}`).join(', ')})
      RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) AS written FROM written`;
}
