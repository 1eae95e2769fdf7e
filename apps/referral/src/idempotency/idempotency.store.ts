import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@nwd/errors';
import { Clock } from '@nwd/clock';
import { ReferralConfig } from '../referral.config';

export interface IdempotentRequest {
  organizationId: string;
  /** The Idempotency-Key header; without one the write simply runs. */
  key: string | undefined;
  /** What the key promises: method, path and body (hashed only when there is a key, after the body passed validation). */
  method: string;
  path: string;
  body: unknown;
  status: number;
}

/**
 * POSTs that honour `Idempotency-Key`: the same key and body get the same response; the same key
 * with another body is refused (422). The key and its response are written in the transaction of
 * the write itself, so a key never outlives a rolled-back write and a write never lacks its key.
 * A key is honoured for the retention period (NWD_IDEMPOTENCY_KEY_RETENTION_HOURS); after it, the key is
 * free again — whether or not the sweep has deleted it yet.
 */
@Injectable()
export class IdempotencyStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: ReferralConfig,
  ) {}

  /** Keys created before this instant have expired. */
  private expiredBefore(now = this.clock.now()): Date {
    return new Date(now.getTime() - this.config.NWD_IDEMPOTENCY_KEY_RETENTION_HOURS * 3_600_000);
  }

  /** Deletes expired keys, a batch at a time so no statement holds many row locks; returns how many. */
  async sweep(now: Date): Promise<number> {
    let deleted = 0;
    for (;;) {
      const [, count] = (await this.dataSource.query(
        `DELETE FROM idempotency_key WHERE ctid IN (SELECT ctid FROM idempotency_key WHERE created_at < $1 LIMIT 5000)`,
        [this.expiredBefore(now)],
      )) as [unknown, number];
      deleted += count;
      if (count < 5000) return deleted;
    }
  }

  /**
   * The id of what a keyed request creates, the same on every attempt of it: a retry after a crash
   * between another service's step (idempotent by this id) and the write's commit repeats that step
   * instead of taking a second one. Name-based (UUID v5) over the organization, the key and the
   * request's fingerprint, so the same key with another body names another thing. Undefined without a key.
   */
  static stableId(request: IdempotentRequest): string | undefined {
    if (!request.key) return undefined;
    return uuidv5(`${request.organizationId}\n${request.key}\n${IdempotencyStore.fingerprint(request.method, request.path, request.body)}`, STABLE_ID_NAMESPACE);
  }

  static fingerprint(method: string, path: string, body: unknown): string {
    return createHash('sha256').update(`${method} ${path}\n${canonicalJson(body)}`).digest('base64url');
  }

  /**
   * Runs `write` in a transaction guarded by the key. `before` (checks that ask other services)
   * runs outside it, and is skipped when the key was already answered; what it finds is handed to
   * `write`. A write that is a single statement (`oneStatement`) is atomic by itself: without a key
   * to record it runs with no transaction around it, two round trips fewer.
   */
  async run<T, Checked = void>(
    request: IdempotentRequest,
    write: (manager: EntityManager, checked: Checked) => Promise<T>,
    { before, oneStatement = false }: { before?: () => Promise<Checked>; oneStatement?: boolean } = {},
  ): Promise<T> {
    const fingerprint = request.key ? IdempotencyStore.fingerprint(request.method, request.path, request.body) : '';
    if (request.key) {
      const answered = await this.answered(this.dataSource.manager, request, fingerprint);
      if (answered !== undefined) return answered as T;
    }
    const checked = (await before?.()) as Checked;
    if (!request.key && oneStatement) return write(this.dataSource.manager, checked);
    return this.dataSource.transaction(async (manager) => {
      if (request.key) {
        // A concurrent request with the same key waits here on the primary key until the first commits, then replays
        // it. An expired key not yet swept is taken over as if it were new.
        const now = this.clock.now();
        const claimed = await manager.query(
          `INSERT INTO idempotency_key AS k (organization_id, key, request_hash, response_status, response_body, created_at)
           VALUES ($1, $2, $3, 0, 'null'::jsonb, $4)
           ON CONFLICT (organization_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, response_status = 0,
             response_body = 'null'::jsonb, created_at = EXCLUDED.created_at
           WHERE k.created_at < $5
           RETURNING 1`,
          [request.organizationId, request.key, fingerprint, now, this.expiredBefore(now)],
        );
        if (!claimed.length) return (await this.answered(manager, request, fingerprint)) as T;
      }
      const body = await write(manager, checked);
      if (request.key) {
        await manager.query(`UPDATE idempotency_key SET response_status = $3, response_body = $4::jsonb WHERE organization_id = $1 AND key = $2`, [
          request.organizationId,
          request.key,
          request.status,
          JSON.stringify(body),
        ]);
      }
      return body;
    });
  }

  private async answered(manager: EntityManager, request: IdempotentRequest, fingerprint: string): Promise<unknown> {
    const [row] = await manager.query(
      `SELECT request_hash, response_body FROM idempotency_key WHERE organization_id = $1 AND key = $2 AND created_at >= $3`,
      [request.organizationId, request.key, this.expiredBefore()],
    );
    if (!row) return undefined;
    if (row.request_hash !== fingerprint) {
      throw DomainError.unprocessable('idempotency.key-reused', 'This Idempotency-Key was used for a different request; use a new key for a new request');
    }
    return row.response_body;
  }
}

/** The namespace of ids derived from Idempotency-Keys (a fixed random UUID: changing it changes every derived id). */
const STABLE_ID_NAMESPACE = '5b0f7f0e-3c1d-4a8e-9a57-6d2f0c9e4b21';

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
