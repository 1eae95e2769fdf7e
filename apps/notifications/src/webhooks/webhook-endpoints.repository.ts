import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type EndpointStatus = 'active' | 'disabled';

export interface WebhookEndpoint {
  id: string;
  organizationId: string;
  url: string;
  events: string[];
  status: EndpointStatus;
  disabledReason: string | null;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, organization_id AS "organizationId", url, events, status, disabled_reason AS "disabledReason",
  secret_sealed AS "secretSealed", previous_secret_sealed AS "previousSecretSealed",
  previous_secret_expires_at AS "previousSecretExpiresAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** An organization's endpoints: every method takes the organization, so another's are never reached. */
@Injectable()
export class WebhookEndpointsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(endpoint: WebhookEndpoint): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO webhook_endpoint (id, organization_id, url, events, status, disabled_reason, secret_sealed, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [endpoint.id, endpoint.organizationId, endpoint.url, endpoint.events, endpoint.status, endpoint.disabledReason, endpoint.secretSealed, endpoint.createdAt, endpoint.updatedAt],
    );
  }

  list(organizationId: string): Promise<WebhookEndpoint[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM webhook_endpoint WHERE organization_id = $1 ORDER BY created_at, id`, [organizationId]);
  }

  async get(organizationId: string, id: string): Promise<WebhookEndpoint | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM webhook_endpoint WHERE organization_id = $1 AND id = $2`, [organizationId, id]);
    return row;
  }

  async update(
    organizationId: string,
    id: string,
    change: { url?: string; events?: string[]; status?: EndpointStatus },
    now: Date,
  ): Promise<WebhookEndpoint | undefined> {
    const [rows] = await this.dataSource.query(
      `UPDATE webhook_endpoint SET
         url = COALESCE($3, url),
         events = COALESCE($4, events),
         status = COALESCE($5, status),
         disabled_reason = CASE WHEN $5 IS NULL THEN disabled_reason WHEN $5 = 'disabled' THEN 'disabled by an org admin' ELSE NULL END,
         updated_at = $6
       WHERE organization_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [organizationId, id, change.url ?? null, change.events ?? null, change.status ?? null, now],
    );
    return rows[0];
  }

  async rotate(organizationId: string, id: string, secretSealed: string, previousExpiresAt: Date, now: Date): Promise<WebhookEndpoint | undefined> {
    const [rows] = await this.dataSource.query(
      `UPDATE webhook_endpoint SET previous_secret_sealed = secret_sealed, previous_secret_expires_at = $4,
         secret_sealed = $3, updated_at = $5
       WHERE organization_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [organizationId, id, secretSealed, previousExpiresAt, now],
    );
    return rows[0];
  }

  async delete(organizationId: string, id: string): Promise<boolean> {
    const [, count] = await this.dataSource.query(`DELETE FROM webhook_endpoint WHERE organization_id = $1 AND id = $2`, [organizationId, id]);
    return count > 0;
  }
}
