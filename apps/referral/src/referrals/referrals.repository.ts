import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { ReferralStatus, SdohNeed } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { insertTogether, TableRow } from '@nwd/persistence';
import { Client } from './entities/client.entity';
import { Referral } from './entities/referral.entity';
import { ReferralTimelineEntry } from './entities/referral-timeline-entry.entity';

/**
 * Whose eyes a read is for. Every method that touches tenant data takes one (or the acting
 * organization's id), so a query without a tenant filter does not type-check.
 */
export interface Viewer {
  organizationId: string;
  /** Network admins see every referral (but not other organizations' internal notes). */
  networkAdmin: boolean;
}

export interface ReferralListFilter {
  direction?: 'sent' | 'received';
  status?: ReferralStatus;
  need?: SdohNeed;
  createdFrom?: Date;
  createdTo?: Date;
  overdueAt?: Date;
  sort: 'created' | 'updated';
  order: 'asc' | 'desc';
  limit: number;
  after?: { at: Date; id: string };
}

@Injectable()
export class ReferralsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findVisible(viewer: Viewer, id: string, manager: EntityManager = this.dataSource.manager): Promise<Referral | null> {
    const builder = manager.createQueryBuilder(Referral, 'r').where('r.id = :id', { id });
    if (!viewer.networkAdmin) builder.andWhere(':org = ANY(r.party_organization_ids)', { org: viewer.organizationId });
    return builder.getOne();
  }

  /** A referral the organization is a party to, locked for the caller's transaction; 404 for anyone else. */
  async lockForParty(manager: EntityManager, organizationId: string, id: string): Promise<Referral> {
    const referral = await manager
      .createQueryBuilder(Referral, 'r')
      .setLock('pessimistic_write')
      .where('r.id = :id', { id })
      .andWhere(':org = ANY(r.party_organization_ids)', { org: organizationId })
      .getOne();
    if (!referral) throw notFound(id);
    return referral;
  }

  async getVisible(viewer: Viewer, id: string, manager?: EntityManager): Promise<Referral> {
    const referral = await this.findVisible(viewer, id, manager);
    if (!referral) throw notFound(id);
    return referral;
  }

  client(clientId: string, manager: EntityManager = this.dataSource.manager): Promise<Client> {
    return manager.findOneByOrFail(Client, { id: clientId });
  }

  /** Every referral of a forward chain, oldest first: they share their parties, so a viewer of one sees all. */
  chain(viewer: Viewer, chainId: string): Promise<Referral[]> {
    const builder = this.dataSource.manager.createQueryBuilder(Referral, 'r').where('r.chain_id = :chainId', { chainId }).orderBy('r.created_at').addOrderBy('r.id');
    if (!viewer.networkAdmin) builder.andWhere(':org = ANY(r.party_organization_ids)', { org: viewer.organizationId });
    return builder.getMany();
  }

  /** Internal notes are shown only to the organization that wrote them. */
  timeline(viewer: Viewer, referralId: string): Promise<ReferralTimelineEntry[]> {
    return this.dataSource.manager
      .createQueryBuilder(ReferralTimelineEntry, 't')
      .where('t.referral_id = :referralId', { referralId })
      .andWhere(`(t.visibility = 'shared' OR t.author_organization_id = :org)`, { org: viewer.organizationId })
      .orderBy('t.recorded_at')
      .addOrderBy('t.id')
      .getMany();
  }

  list(viewer: Viewer, filter: ReferralListFilter): Promise<Referral[]> {
    const column = filter.sort === 'created' ? 'r.created_at' : 'r.updated_at';
    const direction = filter.order === 'asc' ? 'ASC' : 'DESC';
    const builder = this.dataSource.manager.createQueryBuilder(Referral, 'r');
    if (filter.direction === 'sent') builder.andWhere('r.sender_organization_id = :org', { org: viewer.organizationId });
    else if (filter.direction === 'received') builder.andWhere('r.receiving_organization_id = :org', { org: viewer.organizationId });
    else if (!viewer.networkAdmin) builder.andWhere('r.party_organization_ids @> ARRAY[:org]::uuid[]', { org: viewer.organizationId });
    if (filter.status) builder.andWhere('r.status = :status', { status: filter.status });
    if (filter.need) builder.andWhere('r.needs @> ARRAY[:need]::text[]', { need: filter.need });
    if (filter.createdFrom) builder.andWhere('r.created_at >= :createdFrom', { createdFrom: filter.createdFrom });
    if (filter.createdTo) builder.andWhere('r.created_at < :createdTo', { createdTo: filter.createdTo });
    if (filter.overdueAt) builder.andWhere('r.next_due_at < :now', { now: filter.overdueAt });
    if (filter.after) {
      const op = filter.order === 'asc' ? '>' : '<';
      builder.andWhere(
        new Brackets((q) =>
          q.where(`${column} ${op} :afterAt`, { afterAt: filter.after!.at }).orWhere(`${column} = :afterAt AND r.id ${op} :afterId`, { afterId: filter.after!.id }),
        ),
      );
    }
    return builder.orderBy(column, direction).addOrderBy('r.id', direction).limit(filter.limit).getMany();
  }

  /** A new referral for a new client, with its first timeline entry and its event: one statement, atomic by itself. */
  async insertWithClient(
    manager: EntityManager,
    [client, referral, entry, event]: [Client, Referral, ReferralTimelineEntry, TableRow],
  ): Promise<void> {
    await insertTogether(manager, [[Client, client], [Referral, referral], [ReferralTimelineEntry, entry], event]);
  }

  async insertReferral(manager: EntityManager, referral: Referral): Promise<void> {
    await insertTogether(manager, [[Referral, referral]]);
  }

  /**
   * Optimistic concurrency: the change applies only if the referral is still at the version the
   * caller saw, and only for a party to it. Of two conflicting writes at the same version exactly
   * one finds its row; the other gets false.
   */
  async updateAtVersion(
    manager: EntityManager,
    organizationId: string,
    id: string,
    expectedVersion: number,
    changes: Partial<Referral>,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Referral)
      .set(changes)
      .where('id = :id AND version = :expectedVersion', { id, expectedVersion })
      .andWhere(':org = ANY(party_organization_ids)', { org: organizationId })
      .execute();
    return result.affected === 1;
  }

  /** A forward brings a new organization into the chain: it may now see every referral of it. */
  async addChainParty(manager: EntityManager, chainId: string, organizationId: string): Promise<void> {
    await manager.query(
      `UPDATE referral SET party_organization_ids = array_append(party_organization_ids, $2)
       WHERE chain_id = $1 AND NOT ($2 = ANY(party_organization_ids))`,
      [chainId, organizationId],
    );
  }

  async appendTimeline(manager: EntityManager, entry: ReferralTimelineEntry): Promise<void> {
    await insertTogether(manager, [[ReferralTimelineEntry, entry]]);
  }

  /** When the receiving organization tried to reach the client: what the unreachable-closure rule counts. */
  async contactAttemptTimes(manager: EntityManager, referralId: string, receivingOrganizationId: string): Promise<Date[]> {
    const rows: { occurred_at: Date }[] = await manager.query(
      `SELECT occurred_at FROM referral_timeline WHERE referral_id = $1 AND kind = 'contact-attempt' AND author_organization_id = $2 ORDER BY occurred_at`,
      [referralId, receivingOrganizationId],
    );
    return rows.map((r) => r.occurred_at);
  }
}

export function notFound(id: string): DomainError {
  return DomainError.notFound('referral.not-found', `No referral ${id} visible to your organization`);
}
