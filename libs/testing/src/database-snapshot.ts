import { Client } from 'pg';

/** Row count and an order-independent checksum of every row, per table. */
export type DatabaseSnapshot = Record<string, { rows: number; checksum: string }>;

export interface SnapshotOptions {
  /**
   * Columns that change without a request writing anything, by table: the outbox relay stamps
   * `published_at` whenever NATS acks an event that was written earlier.
   */
  volatileColumns?: Record<string, string[]>;
}

const DEFAULT_VOLATILE: Record<string, string[]> = { outbox: ['published_at'] };

/**
 * What a database holds, cheaply enough to take before and after every batch of requests: one
 * statement per database, each table's rows hashed one by one and the hashes sorted, so the same
 * rows give the same checksum whatever order PostgreSQL returns them in.
 */
export class DatabaseSnapshotter {
  private statement?: string;

  private constructor(private readonly client: Client) {}

  static async connect(url: string): Promise<DatabaseSnapshotter> {
    const client = new Client({ connectionString: url });
    await client.connect();
    return new DatabaseSnapshotter(client);
  }

  async snapshot({ volatileColumns = DEFAULT_VOLATILE }: SnapshotOptions = {}): Promise<DatabaseSnapshot> {
    this.statement ??= await this.buildStatement(volatileColumns);
    const { rows } = await this.client.query<{ name: string; rows: number; checksum: string }>(this.statement);
    return Object.fromEntries(rows.map((r) => [r.name, { rows: r.rows, checksum: r.checksum }]));
  }

  /** Events written but not yet acknowledged by JetStream: while there are any, consumers elsewhere will still write. */
  async unpublishedEvents(): Promise<number> {
    const { rows } = await this.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
    return rows[0]!.n;
  }

  close(): Promise<void> {
    return this.client.end();
  }

  private async buildStatement(volatileColumns: Record<string, string[]>): Promise<string> {
    const { rows } = await this.client.query<{ table_name: string; columns: string[] }>(`
      SELECT c.table_name, array_agg(c.column_name::text ORDER BY c.ordinal_position) AS columns
        FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
       GROUP BY c.table_name ORDER BY c.table_name`);
    const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
    return rows
      .map(({ table_name: table, columns }) => {
        const kept = columns.filter((c) => !(volatileColumns[table] ?? []).includes(c));
        const row = `md5(ROW(${kept.map(quote).join(', ')})::text)`;
        return `SELECT '${table}' AS name, count(*)::int AS rows, md5(coalesce(string_agg(${row}, '' ORDER BY ${row}), '')) AS checksum FROM ${quote(table)}`;
      })
      .join('\nUNION ALL\n');
  }
}

/** The tables whose rows differ between two snapshots, with their counts before and after. */
export function snapshotDifferences(before: DatabaseSnapshot, after: DatabaseSnapshot): string[] {
  const tables = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...tables]
    .filter((t) => before[t]?.checksum !== after[t]?.checksum)
    .map((t) => `${t} (${before[t]?.rows ?? 0} → ${after[t]?.rows ?? 0} rows)`);
}
