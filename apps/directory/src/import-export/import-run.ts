import type { AuditActor } from '../audit/audit-log';
import type { RowsBeside } from './directory-lookups';
import { HsdsPackage, ImportProblem } from './hsds-package';
import { ImportedServiceChanges } from './imported-service-changes';
import type { TableCounts, TableWritten } from './table-writer';

export interface ImportOptions {
  /** The network organization that maintains the imported services. */
  maintainerOrganizationId?: string;
  /** Validate and report, change nothing. */
  dryRun?: boolean;
  /** Who runs it, for the audit log (the importer itself when not said). */
  actor?: AuditActor;
  onProgress?: (done: number, total: number) => void;
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

/**
 * Work started now and awaited later, unless the import ends first: a table's reading while the one before
 * it is written, a lookup while the table before is written. Its failure is thrown where it is awaited;
 * until then it must not count as unhandled.
 */
export function ahead<T>(work: Promise<T>): Promise<T> {
  work.catch(() => undefined);
  return work;
}

/**
 * One import while it runs, across its attempts (one that meets another writer's new row starts over,
 * every row by upsert): its report, what an attempt learned of the directory before writing, and the
 * table being written.
 */
export class ImportRun {
  readonly report: ImportReport;
  /** Whether the rows of each table are looked up first, so that the new ones are copied in straight. */
  lookUp = true;
  /** Per table, the import's rows the directory did not hold before it (known only when looked up). */
  readonly created = new Map<string, Set<string>>();
  /** Where the package's service-at-location rows were before it: a location a listing leaves may be hidden no more. */
  vacated: string[] = [];
  /** What the import changes of services others rely on, read before they are written. */
  changes?: ImportedServiceChanges;
  /** Per table, its rows beside the import, counted once before a commit: upserts never delete, so they stay true. */
  private readonly beside = new Map<string, Promise<RowsBeside>>();
  private writing: Promise<void> = Promise.resolve();
  private rowsWritten = 0;

  constructor(
    readonly pkg: HsdsPackage,
    readonly options: ImportOptions,
  ) {
    this.report = { applied: false, problems: pkg.problems, counts: {}, absent: {} };
  }

  /** Another attempt, every row by upsert: what the first learned of the directory may be out of date. */
  startOver(): void {
    this.lookUp = false;
    this.report.counts = {};
    this.created.clear();
    this.vacated = [];
    this.changes = undefined;
    this.writing = Promise.resolve();
    this.rowsWritten = 0;
  }

  /** A table being written: its counts and progress are recorded when it is done (see `tableWritten`). */
  write(table: string, rows: number, writing: Promise<TableWritten>): void {
    this.writing = ahead(
      writing.then(({ counts, created }) => {
        this.report.counts[table] = counts;
        if (created.length) this.created.set(table, new Set(created));
        this.rowsWritten += rows;
        this.options.onProgress?.(this.rowsWritten, this.pkg.expectedSize);
      }),
    );
  }

  /** The table being written, written; its failure is thrown here. */
  tableWritten(): Promise<void> {
    return this.writing;
  }

  /** The table being written, done or failed: the connection it copies through is idle again. */
  async writingStopped(): Promise<void> {
    await Promise.allSettled([this.writing]);
  }

  /** Counts a table's rows beside the import, unless an earlier attempt did. */
  countBeside(table: string, count: () => Promise<RowsBeside>): void {
    if (!this.beside.has(table)) this.beside.set(table, ahead(count()));
  }

  /** Every count beside the import, done; a failure is thrown here. */
  async counted(): Promise<void> {
    await Promise.all(this.beside.values());
  }

  /** Every count beside the import, done or failed: nothing still asks on the side connection. */
  async countingStopped(): Promise<void> {
    await Promise.allSettled(this.beside.values());
  }

  /**
   * Once committed: the rows beside the import before it are the rows beside it now, the table's rows then,
   * less the import's rows that were there already (updated or unchanged).
   */
  async absentAfterCommit(): Promise<ImportReport['absent']> {
    const absent: ImportReport['absent'] = {};
    for (const [table, rows] of this.beside) {
      const { total, sample } = await rows;
      const counts = this.report.counts[table];
      const count = total - (counts ? counts.updated + counts.unchanged : 0);
      if (count) absent[table] = { count, sample };
    }
    return absent;
  }
}
