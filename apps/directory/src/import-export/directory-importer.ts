import type { PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Outbox } from '@nwd/messaging';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { AuditActor, AuditLog } from '../audit/audit-log';
import { HSDS_TABLES, HsdsRecord, HsdsTable } from '../hsds/hsds-tables';
import { ListingIndex } from '../hsds/listing-index';
import { copyRows } from './copy-rows';
import { checkForeignKeys } from './foreign-keys';
import { HsdsPackage, ImportProblem } from './hsds-package';
import { ImportedServiceChanges } from './imported-service-changes';

export interface ImportOptions {
  /** The network organization that maintains the imported services. */
  maintainerOrganizationId?: string;
  /** Validate and report, change nothing. */
  dryRun?: boolean;
  /** Who runs it, for the audit log (the importer itself when not said). */
  actor?: AuditActor;
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
 * Applies an HSDS package in one transaction, validating it as it goes: every row is upserted by id, its
 * references proven, the derived need mapping and search rows follow, and what changed of services others
 * rely on is announced (directory.v1.service-updated, through the outbox). Any problem means nothing changed.
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
    const report: ImportReport = { applied: false, problems, counts: {}, absent: {} };
    if (problems.length || options.dryRun) {
      await pkg.read();
      await checkForeignKeys(pkg, (table, ids) => this.existingIds(this.dataSource.manager, table, ids));
      report.absent = await this.absent(this.dataSource.manager, pkg);
      return report;
    }
    // Asked on a connection of their own while the import writes, when the pool has one to spare.
    const side = ((this.dataSource.options as PostgresConnectionOptions).extra?.max ?? 10) < 2 ? undefined : new SideQueries(this.dataSource.manager);
    const beside = new Map<string, Promise<{ total: number; sample: string[] }>>();
    try {
      try {
        await this.dataSource.transaction((manager) => this.apply(manager, pkg, options, report, side ?? new SideQueries(manager), beside, true));
      } catch (error) {
        // Another writer added one of the import's new rows between the lookup and the copy: all again, by upsert.
        if (!isUniqueViolation(error)) throw error;
        report.counts = {};
        await this.dataSource.transaction((manager) => this.apply(manager, pkg, options, report, side ?? new SideQueries(manager), beside, false));
      }
    } catch (error) {
      await Promise.allSettled(beside.values());
      if (!(error instanceof ImportRefused)) throw error;
      report.counts = {};
      report.absent = await this.absent(this.dataSource.manager, pkg);
      return report;
    }
    // Upserts never delete, so the rows beside the import before it are the rows beside it now: the table's
    // rows then, less the import's rows that were there already (updated or unchanged).
    for (const [table, rows] of beside) {
      const { total, sample } = await rows;
      const counts = report.counts[table];
      const count = total - (counts ? counts.updated + counts.unchanged : 0);
      if (count) report.absent[table] = { count, sample };
    }
    report.applied = true;
    return report;
  }

  /**
   * Reads and writes the package table by table: each table is read (parsed, validated) while the one before
   * it streams into PostgreSQL. Rows the directory did not hold (looked up beside the transaction as each
   * table is read, when `lookUp`) go in with COPY; the others are copied into a temporary table and upserted
   * from there, by id, unchanged rows not rewritten. Without `lookUp` every row takes the upsert, which is
   * safe whatever other writers do meanwhile. A problem in any table stops the writing; the rest is still
   * read, so that every problem is reported, and nothing is kept. References are proven at the end, against
   * the package and the directory, and the directory's rows they name are held until commit.
   */
  private async apply(
    manager: EntityManager,
    pkg: HsdsPackage,
    options: ImportOptions,
    report: ImportReport,
    side: SideQueries,
    beside: Map<string, Promise<{ total: number; sample: string[] }>>,
    lookUp: boolean,
  ): Promise<void> {
    await this.index.holdWriters(manager);
    const ownChecks = await this.checksReferencesItself(manager);
    if (ownChecks) await manager.query(`SET LOCAL session_replication_role = replica`);
    const estimated = await this.estimatedRows(manager);
    const client: PoolClient = await manager.queryRunner!.connect();
    let changes: ImportedServiceChanges | undefined;
    /** Where the package's service-at-location rows were before it: a location a listing leaves may be hidden no more. */
    let vacated: string[] = [];
    /** Per table, the import's rows the directory did not hold before it (known only when looked up beforehand). */
    const created = new Map<string, Set<string>>();
    // Reading runs ahead of writing, table after table, each read yielding to the COPY in flight.
    const read = new Map<string, Promise<void>>();
    let reading: Promise<void> = Promise.resolve();
    for (const table of HSDS_TABLES) read.set(table.name, (reading = reading.then(() => pkg.read(table))));
    reading.catch(() => undefined); // each table's reading is awaited below, unless the import ends first
    let writing: Promise<void> = Promise.resolve();
    let done = 0;
    try {
      for (const table of HSDS_TABLES) {
        await read.get(table.name);
        const ids = pkg.tables.get(table.name);
        if (!ids?.size || pkg.problems.length) continue;
        const there = lookUp ? side.run((lookups) => this.existingIds(lookups, table.name, [...ids.keys()])) : undefined;
        there?.catch(() => undefined); // awaited below, unless the previous table's writing fails first
        await writing;
        // What the import changes of services others rely on is read before they are written.
        if (table.name === 'service') changes = await ImportedServiceChanges.read(manager, uuids(ids.keys()));
        if (table.name === 'service_at_location') vacated = await this.locationsOf(manager, uuids(ids.keys()));
        const rows = [...ids.values()].map((source) => source.record);
        writing = this.writeTable(manager, client, table, rows, await there, report, created).then(() => {
          done += rows.length;
          options.onProgress?.(done, pkg.expectedSize);
        });
        writing.catch(() => undefined); // awaited before the next table is written, or below
      }
      await writing;
    } finally {
      await writing.catch(() => undefined);
    }
    if (pkg.problems.length) throw new ImportRefused();
    // Counting a table grows with the directory. Asked now, beside the transaction, it runs while PostgreSQL
    // builds the search rows and Node has nothing to do (during the copies both cores are busy); it must be
    // done before the commit, or it would count the import's rows too.
    for (const [table, ids] of pkg.tables) {
      if (ids.size && !beside.has(table)) beside.set(table, side.run((lookups) => this.rowsBeside(lookups, table, [...ids.keys()])));
    }
    const referenced = await checkForeignKeys(pkg, (table, ids) => this.existingIds(manager, table, ids));
    if (pkg.problems.length) throw new ImportRefused();
    if (ownChecks) {
      // Proven against the package and the directory just now: what the directory holds must stay there until commit.
      await this.holdReferenced(manager, pkg, referenced);
      // Everything after the HSDS rows (maintainer, search rows) is checked row by row again.
      await manager.query(`SET LOCAL session_replication_role = origin`);
    }
    await this.refreshStatistics(manager, pkg, estimated);
    const serviceIds = await this.touchedServices(manager, pkg, created, vacated);
    if (options.maintainerOrganizationId) {
      await manager.query(`UPDATE hsds_service SET maintainer_organization_id = $1 WHERE id = ANY ($2::uuid[])`, [
        options.maintainerOrganizationId,
        [...pkg.ids('service')],
      ]);
    }
    await changes?.announce(manager, this.outbox, new Date());
    if (pkg.ids('taxonomy_term').size || pkg.ids('taxonomy').size) await this.index.refreshNeedDomains(manager);
    await this.index.refreshServices(manager, serviceIds);
    // One record per import, as for an edit: who, for which maintainer, how many rows of each table it wrote.
    const written = Object.fromEntries(Object.entries(report.counts).filter(([, c]) => c.inserted + c.updated > 0));
    const actor = options.actor ?? { subject: 'system:directory-import' };
    await new AuditLog(this.dataSource).record(manager, actor, 'listing.imported', { type: 'import', id: uuidv7() }, {
      ...(options.maintainerOrganizationId ? { maintainerOrganizationId: options.maintainerOrganizationId } : {}),
      counts: written,
    });
    await Promise.all(beside.values());
  }

  /** One table's rows: COPY for those `there` says are new, a staged upsert for the rest (all, without `there`). */
  private async writeTable(
    manager: EntityManager,
    client: PoolClient,
    table: HsdsTable,
    rows: HsdsRecord[],
    there: Set<string> | undefined,
    report: ImportReport,
    created: Map<string, Set<string>>,
  ): Promise<void> {
    const columns = table.fields.map((field) => field.name);
    const counts: TableCounts = (report.counts[table.name] = { inserted: 0, updated: 0, unchanged: 0 });
    // A COPY straight into the table costs about three quarters of staging and upserting the same rows.
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

  private async locationsOf(manager: EntityManager, serviceAtLocationIds: string[]): Promise<string[]> {
    const rows: { location_id: string }[] = await manager.query(
      `SELECT DISTINCT location_id FROM hsds_service_at_location WHERE id = ANY ($1::uuid[])`,
      [serviceAtLocationIds],
    );
    return rows.map((row) => row.location_id);
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
      const ids = [...pkg.ids(table.name)];
      if (!ids.length) continue;
      const { total, sample } = await this.rowsBeside(manager, table.name, ids);
      const count = total - (await this.existingIds(manager, table.name, ids)).size;
      if (count) absent[table.name] = { count, sample };
    }
    return absent;
  }

  /** Rows of a table now, and a sample of those the import does not hold. */
  private async rowsBeside(manager: EntityManager, table: string, ids: string[]): Promise<{ total: number; sample: string[] }> {
    const [row] = await manager.query(
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
  private async touchedServices(manager: EntityManager, pkg: HsdsPackage, created: Map<string, Set<string>>, vacated: string[]): Promise<string[]> {
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
      for (const row of (await manager.query(sql, [uuids(ids)])) as { id: string }[]) touched.add(row.id);
    }
    return uuids(touched);
  }
}

/**
 * Queries asked one at a time, in order, through one manager: beside an import's transaction, the pool
 * (a connection of their own); without a connection to spare, the transaction's own.
 */
class SideQueries {
  private last: Promise<unknown> = Promise.resolve();

  constructor(private readonly manager: EntityManager) {}

  run<T>(query: (manager: EntityManager) => Promise<T>): Promise<T> {
    const next = this.last.then(() => query(this.manager));
    this.last = next.catch(() => undefined);
    return next;
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
