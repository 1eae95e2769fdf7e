import { Client } from 'pg';
import { headers as natsHeaders, JetStreamClient, PubAck } from 'nats';

export const OUTBOX_CHANNEL = 'nwd_outbox';
/** Advisory lock id held by the one active relay of a service (advisory locks are per database). */
export const RELAY_LOCK_KEY = 0x6e776472; // "nwdr"
export const REQUEST_ID_HEADER = 'nwd-request-id';

export interface RelayLogger {
  log(message: object | string): void;
  warn(message: object | string): void;
}

export interface RelayOptions {
  batchSize: number;
  /** Fallback poll when no NOTIFY arrives (lost connection, events written by hand). */
  pollIntervalMs: number;
  /** How often a standby instance tries to take over. */
  lockRetryMs: number;
  publishTimeoutMs: number;
  /** Published rows are kept this long for inspection, then deleted. */
  retentionHours: number;
}

export const DEFAULT_RELAY_OPTIONS: RelayOptions = {
  batchSize: 1000,
  pollIntervalMs: 1000,
  lockRetryMs: 2000,
  publishTimeoutMs: 5000,
  retentionHours: 72,
};

export interface RelayDependencies {
  databaseUrl: string;
  js: () => JetStreamClient;
  subject: (unprefixed: string) => string;
  logger: RelayLogger;
  onPublished?: (count: number, duplicates: number) => void;
  /** Fault-injection point for tests: runs after JetStream acknowledged a batch, before the rows are marked. */
  afterPublish?: (eventIds: string[]) => Promise<void> | void;
  options?: Partial<RelayOptions>;
}

interface OutboxRow {
  seq: string;
  id: string;
  subject: string;
  envelope: string;
  request_id: string | null;
}

const encoder = new TextEncoder();

/**
 * Moves committed events from the outbox table to JetStream. One instance per service is active
 * (session advisory lock on its own connection; the others stand by). It wakes on NOTIFY and reads
 * the notified sequence range by primary key; a sweep of all unpublished rows at take-over and
 * every poll interval catches whatever a lost notification would have missed. It publishes with `Nats-Msg-Id` = event id so the stream drops re-publishes inside its
 * duplicate window, and marks rows only after the server's ack: a crash in between re-publishes,
 * which the stream de-duplicates and the consumers' inbox absorbs.
 */
export class OutboxRelay {
  private readonly options: RelayOptions;
  private client?: Client;
  private leader = false;
  private running = false;
  private loop?: Promise<void>;
  private notified = false;
  /** Sequence ranges announced by NOTIFY and not yet read. */
  private announced: [number, number][] = [];
  private lastSweep = 0;
  private wake?: () => void;
  private lastCleanup = 0;

  constructor(private readonly deps: RelayDependencies) {
    this.options = { ...DEFAULT_RELAY_OPTIONS, ...deps.options };
  }

  get isLeader(): boolean {
    return this.leader;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoffMs = 100;
    while (this.running) {
      try {
        await this.takeLeadership();
        if (!this.leader) {
          await this.sleep(this.options.lockRetryMs);
          continue;
        }
        this.notified = false;
        const more = await this.publishNext();
        backoffMs = 100;
        await this.cleanupIfDue();
        if (!more) await this.waitForWork();
      } catch (error) {
        this.deps.logger.warn({ msg: 'outbox relay error; will retry', err: String(error), backoffMs });
        if (isDatabaseConnectionError(error)) await this.dropConnection();
        await this.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
    await this.dropConnection();
  }

  private async takeLeadership(): Promise<void> {
    if (!this.client) {
      const client = new Client({ connectionString: this.deps.databaseUrl, application_name: 'nwd-outbox-relay' });
      client.on('error', () => void this.dropConnection());
      client.on('notification', (notification) => {
        const [first, last] = (notification.payload ?? '').split(':').map(Number);
        if (Number.isFinite(first) && Number.isFinite(last)) this.announced.push([first!, last!]);
        else this.lastSweep = 0;
        this.notified = true;
        this.wake?.();
      });
      await client.connect();
      this.client = client;
      this.leader = false;
    }
    if (!this.leader) {
      const { rows } = await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [RELAY_LOCK_KEY]);
      if (rows[0]?.ok) {
        await this.client.query(`LISTEN ${OUTBOX_CHANNEL}`);
        this.lastSweep = 0; // a new leader first sweeps everything left unpublished
        this.leader = true;
        this.deps.logger.log({ msg: 'outbox relay is active' });
      }
    }
  }

  /** Publishes one batch: a sweep when due, else the announced rows. Returns whether work is left. */
  private async publishNext(): Promise<boolean> {
    const { batchSize } = this.options;
    if (Date.now() - this.lastSweep >= this.options.pollIntervalMs) {
      // Only what was announced before the sweep read its rows is covered by it: a range announced
      // while it publishes may hold rows it did not see, which must go out before anything later.
      const covered = this.announced.length;
      const published = await this.publishRows('published_at IS NULL', []);
      if (published < batchSize) {
        this.lastSweep = Date.now();
        this.announced.splice(0, covered);
      }
      return published === batchSize;
    }
    if (!this.announced.length) return false;
    // Ranges announced together are adjacent under load; read their span in one primary-key range scan.
    const first = Math.min(...this.announced.map(([f]) => f));
    const last = Math.max(...this.announced.map(([, l]) => l));
    this.announced = [];
    const published = await this.publishRows('seq BETWEEN $2 AND $3 AND published_at IS NULL', [first, last]);
    if (published === batchSize) this.announced.push([first, last]);
    return this.announced.length > 0;
  }

  /** Publishes the oldest matching unpublished events, pipelined; returns how many were acknowledged. */
  private async publishRows(condition: string, params: number[]): Promise<number> {
    const client = this.client!;
    const { rows } = await client.query<OutboxRow>(
      `SELECT seq, id, subject, envelope::text AS envelope, envelope->>'requestId' AS request_id
         FROM outbox WHERE ${condition} ORDER BY seq LIMIT $1`,
      [this.options.batchSize, ...params],
    );
    if (!rows.length) return 0;
    const js = this.deps.js();
    const results = await Promise.allSettled(
      rows.map((row) => {
        const headers = natsHeaders();
        if (row.request_id) headers.set(REQUEST_ID_HEADER, row.request_id);
        return js.publish(this.deps.subject(row.subject), encoder.encode(row.envelope), {
          msgID: row.id,
          headers,
          timeout: this.options.publishTimeoutMs,
        });
      }),
    );
    const acked: string[] = [];
    let duplicates = 0;
    let firstError: unknown;
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') {
        acked.push(rows[i]!.seq);
        if ((result.value as PubAck).duplicate) duplicates++;
      } else firstError ??= result.reason;
    });
    if (acked.length) {
      await this.deps.afterPublish?.(rows.filter((_, i) => results[i]!.status === 'fulfilled').map((r) => r.id));
      await client.query('UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])', [acked]);
      this.deps.onPublished?.(acked.length, duplicates);
    }
    if (firstError) throw firstError;
    return acked.length;
  }

  private async cleanupIfDue(): Promise<void> {
    if (Date.now() - this.lastCleanup < 60 * 60 * 1000) return;
    this.lastCleanup = Date.now();
    await this.client!.query(
      `DELETE FROM outbox WHERE published_at < now() - make_interval(hours => $1)`,
      [this.options.retentionHours],
    );
  }

  private waitForWork(): Promise<void> {
    if (this.notified || !this.running) return Promise.resolve();
    return this.sleep(this.options.pollIntervalMs);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async dropConnection(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.leader = false;
    // Closing the session releases the advisory lock, so a standby can take over.
    await client?.end().catch(() => undefined);
  }
}

function isDatabaseConnectionError(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? '';
  const message = String((error as { message?: string })?.message ?? '');
  return (
    code.startsWith('08') || // connection exceptions
    code === '57P01' || // admin shutdown
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    /Connection terminated|not queryable|Client was closed/i.test(message)
  );
}
