import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Outbox } from '@nwd/messaging';
import { isDuplicateKey } from '@nwd/persistence';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { AuditLog } from '../audit/audit-log';
import { Clock } from '@nwd/clock';
import { HSDS_TABLES } from '../hsds/hsds-tables';
import { ListingIndex } from '../hsds/listing-index';
import { DirectoryLookups, SideQueries, uuids } from './directory-lookups';
import { checkForeignKeys } from './foreign-keys';
import { HsdsPackage } from './hsds-package';
import { ahead, ImportOptions, ImportReport, ImportRun } from './import-run';
import { ImportedServiceChanges } from './imported-service-changes';
import { PlannerStatistics } from './planner-statistics';
import { TableWriter } from './table-writer';

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
    private readonly clock: Clock = new Clock(),
  ) {}

  async run(pkg: HsdsPackage, options: ImportOptions = {}): Promise<ImportReport> {
    const lookups = new DirectoryLookups(this.dataSource.manager);
    if (options.maintainerOrganizationId && !(await lookups.organizationExists(options.maintainerOrganizationId))) {
      pkg.problems.push({ file: '(options)', field: 'maintainer', message: `no network organization ${options.maintainerOrganizationId}` });
    }
    const run = new ImportRun(pkg, options);
    if (pkg.problems.length || options.dryRun) {
      await pkg.read();
      await checkForeignKeys(pkg, (table, ids) => lookups.existingIds(table, ids));
      run.report.absent = await lookups.absent(pkg);
      return run.report;
    }
    // Asked on a connection of their own while the import writes, when the pool has one to spare.
    const side = ((this.dataSource.options as PostgresConnectionOptions).extra?.max ?? 10) < 2 ? undefined : new SideQueries(lookups);
    try {
      try {
        await this.dataSource.transaction((manager) => this.apply(manager, run, side));
      } catch (error) {
        // Another writer added one of the import's new rows between the lookup and the copy: all again, by upsert.
        if (!isDuplicateKey(error)) throw error;
        run.startOver();
        await this.dataSource.transaction((manager) => this.apply(manager, run, side));
      }
    } catch (error) {
      await run.countingStopped();
      if (!(error instanceof ImportRefused)) throw error;
      run.report.counts = {};
      run.report.absent = await lookups.absent(pkg);
      return run.report;
    }
    run.report.absent = await run.absentAfterCommit();
    run.report.applied = true;
    return run.report;
  }

  /**
   * Writes the package, proves its references, then brings what derives from the HSDS tables up to date. The
   * directory's rows the references name are held until commit.
   */
  private async apply(manager: EntityManager, run: ImportRun, beside: SideQueries | undefined): Promise<void> {
    const { pkg, options } = run;
    const lookups = new DirectoryLookups(manager);
    const side = beside ?? new SideQueries(lookups);
    await this.index.holdWriters(manager);
    const ownChecks = await this.checksReferencesItself(manager);
    if (ownChecks) await manager.query(`SET LOCAL session_replication_role = replica`);
    const statistics = await PlannerStatistics.read(manager);
    await this.writeTables(manager, run, side);
    if (pkg.problems.length) throw new ImportRefused();
    // Counting a table grows with the directory. Asked now, beside the transaction, it runs while PostgreSQL
    // builds the search rows and Node has nothing to do (during the copies both cores are busy); it must be
    // done before the commit, or it would count the import's rows too.
    for (const [table, ids] of pkg.tables) {
      if (ids.size) run.countBeside(table, () => side.run((others) => others.rowsBeside(table, [...ids.keys()])));
    }
    const referenced = await checkForeignKeys(pkg, (table, ids) => lookups.existingIds(table, ids));
    if (pkg.problems.length) throw new ImportRefused();
    if (ownChecks) {
      // Proven against the package and the directory just now: what the directory holds must stay there until commit.
      await this.holdReferenced(manager, pkg, referenced);
      // Everything after the HSDS rows (maintainer, search rows) is checked row by row again.
      await manager.query(`SET LOCAL session_replication_role = origin`);
    }
    await statistics.refresh(manager, pkg);
    const serviceIds = await lookups.touchedServices(pkg, run.created, run.vacated);
    if (options.maintainerOrganizationId) {
      await manager.query(`UPDATE hsds_service SET maintainer_organization_id = $1 WHERE id = ANY ($2::uuid[])`, [
        options.maintainerOrganizationId,
        [...pkg.ids('service')],
      ]);
    }
    await run.changes?.announce(manager, this.outbox, this.clock.now());
    if (pkg.ids('taxonomy_term').size || pkg.ids('taxonomy').size) await this.index.refreshNeedDomains(manager);
    await this.index.refreshServices(manager, serviceIds);
    // One record per import, as for an edit: who, for which maintainer, how many rows of each table it wrote.
    const written = Object.fromEntries(Object.entries(run.report.counts).filter(([, c]) => c.inserted + c.updated > 0));
    const actor = options.actor ?? { subject: 'system:directory-import' };
    await new AuditLog(this.dataSource, this.clock).record(manager, actor, 'listing.imported', { type: 'import', id: uuidv7() }, {
      ...(options.maintainerOrganizationId ? { maintainerOrganizationId: options.maintainerOrganizationId } : {}),
      counts: written,
    });
    await run.counted();
  }

  /**
   * Reads and writes the package table by table: each table is read (parsed, validated) while the one before
   * it streams into PostgreSQL. Rows the directory did not hold (looked up beside the transaction as each
   * table is read, when the run looks up) go in with COPY; the others are copied into a temporary table and
   * upserted from there, by id, unchanged rows not rewritten. Without the lookup every row takes the upsert,
   * which is safe whatever other writers do meanwhile. A problem in any table stops the writing; the rest is
   * still read, so that every problem is reported, and nothing is kept.
   */
  private async writeTables(manager: EntityManager, run: ImportRun, side: SideQueries): Promise<void> {
    const { pkg } = run;
    const lookups = new DirectoryLookups(manager);
    const writer = new TableWriter(manager, await manager.queryRunner!.connect());
    // Reading runs ahead of writing, table after table, each read yielding to the COPY in flight.
    const read = new Map<string, Promise<void>>();
    let reading: Promise<void> = Promise.resolve();
    for (const table of HSDS_TABLES) read.set(table.name, ahead((reading = reading.then(() => pkg.read(table)))));
    try {
      for (const table of HSDS_TABLES) {
        await read.get(table.name);
        const ids = pkg.tables.get(table.name);
        if (!ids?.size || pkg.problems.length) continue;
        const there = run.lookUp ? ahead(side.run((others) => others.existingIds(table.name, [...ids.keys()]))) : undefined;
        await run.tableWritten();
        // What the import changes of services others rely on is read before they are written.
        if (table.name === 'service') run.changes = await ImportedServiceChanges.read(manager, uuids(ids.keys()));
        if (table.name === 'service_at_location') run.vacated = await lookups.locationsOf(uuids(ids.keys()));
        const rows = [...ids.values()].map((source) => source.record);
        run.write(table.name, rows.length, writer.write(table, rows, await there));
      }
      await run.tableWritten();
    } finally {
      await run.writingStopped();
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
    const lookups = new DirectoryLookups(manager);
    await checkForeignKeys(pkg, (table, ids) => lookups.existingIds(table, ids));
    throw new ImportRefused();
  }
}

/** Rolls the import's transaction back; the problems are in the package. */
class ImportRefused extends Error {
  constructor() {
    super('import refused');
  }
}
