import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Disclosure } from './disclosure.entity';

/** Who a client's disclosure history belongs to: the registering organization of the live record. */
export interface DisclosureSubject {
  clientId: string;
  registeredByOrganizationId: string;
  /** The client's own id and every id merged into it: the history covers them all. */
  clientIds: string[];
}

/**
 * Reads of the accounting of disclosures (writes go through `DisclosureLedger` only). The subject is
 * read straight off the register's table, so this folder does not depend on the clients module
 * (which depends on the ledger).
 */
@Injectable()
export class DisclosuresRepository {
  constructor(private readonly dataSource: DataSource) {}

  async subject(clientId: string): Promise<DisclosureSubject | null> {
    const [live] = await this.dataSource.query(
      `SELECT s.id, s.created_by_organization_id
         FROM client c JOIN client s ON s.id = coalesce(c.merged_into_id, c.id)
        WHERE c.id = $1`,
      [clientId],
    );
    if (!live) return null;
    const ids = await this.dataSource.query(`SELECT id FROM client WHERE id = $1 OR merged_into_id = $1 ORDER BY id`, [live.id]);
    return { clientId: live.id, registeredByOrganizationId: live.created_by_organization_id, clientIds: ids.map((r: { id: string }) => r.id) };
  }

  /** The subject's disclosures in the order they happened (UUIDv7 ids, across the chains), after the given one. */
  history(subject: DisclosureSubject, page: { after?: string; limit: number }): Promise<Disclosure[]> {
    const query = this.dataSource.getRepository(Disclosure).createQueryBuilder('d').where('d.client_id = ANY (:ids::uuid[])', { ids: subject.clientIds });
    if (page.after) query.andWhere('d.id > :after', { after: page.after });
    return query.orderBy('d.id').limit(page.limit).getMany();
  }
}
