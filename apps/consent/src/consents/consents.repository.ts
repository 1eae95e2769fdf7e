import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { RecipientRule } from '../decisions/consent-policy';
import { Client } from '../clients/client.entity';
import { CLIENT_COLUMNS, toClient } from '../clients/clients.repository';
import { ConsentRecord } from './consent.record';

/** Consents with their recipients as one row each, aggregated in the query: one round trip, no N+1. (Written by ConsentWriter.) */
export const SELECT_CONSENTS = `
  SELECT c.id, c.client_id, c.grantor_organization_id, c.purposes, c.categories, c.method, c.attested_by, c.evidence,
         c.effective_from, c.expires_at, c.status, c.revoked_at, c.referral_id, c.created_at,
         (SELECT json_agg(json_build_object('organizationId', r.organization_id, 'anyMember', r.any_member,
                                            'organizationKind', r.organization_kind, 'revokedAt', r.revoked_at) ORDER BY r.position)
            FROM consent_recipient r WHERE r.consent_id = c.id) AS recipients
    FROM consent c`;

type Queryable = Pick<EntityManager, 'query'>;

/** A client's live record and every consent a decision about it weighs. */
export interface DecisionFacts {
  client: Client;
  consents: ConsentRecord[];
}

@Injectable()
export class ConsentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async get(id: string, manager: Queryable = this.dataSource): Promise<ConsentRecord | undefined> {
    const rows = await manager.query(`${SELECT_CONSENTS} WHERE c.id = $1`, [id]);
    return rows.length ? toRecord(rows[0]) : undefined;
  }

  /** Every consent of a client — those given under the ids merged into it too — oldest first: what a decision weighs. */
  async forClient(clientId: string, manager: Queryable = this.dataSource): Promise<ConsentRecord[]> {
    const rows = await manager.query(
      `${SELECT_CONSENTS} WHERE c.client_id = $1 OR c.client_id IN (SELECT id FROM client WHERE merged_into_id = $1) ORDER BY c.created_at, c.id`,
      [clientId],
    );
    return rows.map(toRecord);
  }

  /**
   * What a decision reads, in one round trip: the live record the id stands for (a merged id's
   * survivor) and every consent of that record, those given under ids merged into it too, oldest first.
   */
  async forDecision(clientId: string, manager: Queryable = this.dataSource): Promise<DecisionFacts | undefined> {
    return (await this.forDecisions([clientId], manager)).get(clientId);
  }

  /** The same for several ids at once (a batch of disclosures), by the id asked about. */
  async forDecisions(clientIds: readonly string[], manager: Queryable = this.dataSource): Promise<Map<string, DecisionFacts>> {
    const rows = await manager.query(
      `WITH asked AS (SELECT a.id AS asked_id, COALESCE(a.merged_into_id, a.id) AS live_id FROM client a WHERE a.id = ANY($1::uuid[]))
       SELECT asked.asked_id, ${CLIENT_COLUMNS},
              (SELECT COALESCE(json_agg(k ORDER BY k.created_at, k.id), '[]'::json)
                 FROM (${SELECT_CONSENTS}
                        WHERE c.client_id = asked.live_id
                           OR c.client_id IN (SELECT m.id FROM client m WHERE m.merged_into_id = asked.live_id)) k) AS consents
         FROM asked JOIN client c ON c.id = asked.live_id`,
      [[...new Set(clientIds)]],
    );
    return new Map(rows.map((row: any) => [row.asked_id as string, { client: toClient(row), consents: (row.consents as unknown[]).map(toRecord) }]));
  }

  /** The consents of several live clients at once (a search's candidates), merged-in ids' too, grouped by client. */
  async forClients(clientIds: readonly string[], manager: Queryable = this.dataSource): Promise<Map<string, ConsentRecord[]>> {
    const grouped = new Map<string, ConsentRecord[]>(clientIds.map((id) => [id, []]));
    if (!clientIds.length) return grouped;
    const ids: { id: string; live: string }[] = await manager.query(
      `SELECT id, COALESCE(merged_into_id, id) AS live FROM client WHERE id = ANY($1::uuid[]) OR merged_into_id = ANY($1::uuid[])`,
      [clientIds],
    );
    const liveOf = new Map(ids.map((r) => [r.id, r.live]));
    const rows = await manager.query(`${SELECT_CONSENTS} WHERE c.client_id = ANY($1::uuid[]) ORDER BY c.created_at, c.id`, [[...liveOf.keys()]]);
    for (const record of rows.map(toRecord)) grouped.get(liveOf.get(record.clientId)!)?.push(record);
    return grouped;
  }

  /** Locks the consent for a revocation, so two revocations of one recipient announce it once. */
  async lock(manager: EntityManager, id: string): Promise<ConsentRecord | undefined> {
    const locked = await manager.query(`SELECT id FROM consent WHERE id = $1 FOR UPDATE`, [id]);
    return locked.length ? this.get(id, manager) : undefined;
  }

  async revokeAll(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.query(`UPDATE consent SET status = 'revoked', revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, at]);
  }

  /** Revokes the rules naming `organizationId`; true when one was still live. */
  async revokeRecipient(manager: EntityManager, id: string, organizationId: string, at: Date): Promise<boolean> {
    // TypeORM answers an UPDATE with [rows, count].
    const [rows] = await manager.query(
      `UPDATE consent_recipient SET revoked_at = $3 WHERE consent_id = $1 AND organization_id = $2 AND revoked_at IS NULL RETURNING position`,
      [id, organizationId, at],
    );
    return rows.length > 0;
  }

  /** Marks consents past their end expired (a batch, skipping rows another instance is on) and returns them. */
  async expireDue(manager: EntityManager, now: Date, limit: number): Promise<{ id: string; clientId: string; expiresAt: Date }[]> {
    const [rows] = await manager.query(
      `UPDATE consent SET status = 'expired'
        WHERE id IN (SELECT id FROM consent WHERE status = 'active' AND expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING id, client_id, expires_at`,
      [now, limit],
    );
    return rows.map((r: any) => ({ id: r.id, clientId: r.client_id, expiresAt: new Date(r.expires_at) }));
  }
}

export function toRecord(row: any): ConsentRecord {
  return {
    id: row.id,
    clientId: row.client_id,
    grantorOrganizationId: row.grantor_organization_id,
    recipients: (row.recipients ?? []).map(
      (r: any): RecipientRule => ({
        ...(r.organizationId ? { organizationId: r.organizationId } : {}),
        ...(r.anyMember ? { anyMember: true } : {}),
        ...(r.organizationKind ? { organizationKind: r.organizationKind } : {}),
        revokedAt: r.revokedAt ? new Date(r.revokedAt) : null,
      }),
    ),
    purposes: row.purposes,
    categories: row.categories,
    method: row.method,
    attestedBy: row.attested_by,
    evidence: row.evidence,
    effectiveFrom: new Date(row.effective_from),
    expiresAt: row.expires_at ? new Date(row.expires_at) : null,
    status: row.status,
    revokedAt: row.revoked_at ? new Date(row.revoked_at) : null,
    referralId: row.referral_id,
    createdAt: new Date(row.created_at),
  };
}
