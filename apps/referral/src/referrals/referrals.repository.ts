import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { Actor, assertAuthoredBy, Viewer } from '@nwd/auth';
import { ReferralStatus, SdohNeed } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { insertTogether, RowToInsert, TableRow } from '@nwd/persistence';
import { Referral } from './entities/referral.entity';
import { ReferralTimelineEntry } from './entities/referral-timeline-entry.entity';

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

/** A referral the viewer may see: a party to it, or any referral for a network admin. */
const VISIBLE = (alias: string) => `(:admin OR :org = ANY(${alias}.party_organization_ids))`;
const visibleTo = (viewer: Viewer) => ({ admin: viewer.networkAdmin, org: viewer.organizationId });

/**
 * Referrals and their timelines (their clients are the consent service's). Every method that reads tenant data takes the caller's
 * `Viewer`, every one that writes it the acting organization (`Actor`): the tenant filter is in the
 * signature, not in a comment.
 */
@Injectable()
export class ReferralsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async getVisible(viewer: Viewer, id: string, manager: EntityManager = this.dataSource.manager): Promise<Referral> {
    const referral = await manager.createQueryBuilder(Referral, 'r').where('r.id = :id', { id }).andWhere(VISIBLE('r'), visibleTo(viewer)).getOne();
    if (!referral) throw notFound(id);
    return referral;
  }

  /** Whether any referral has this id, whoever's: a derived id an earlier, expired use of its key already took. */
  async idTaken(id: string): Promise<boolean> {
    const [row] = await this.dataSource.query(`SELECT 1 FROM referral WHERE id = $1`, [id]);
    return row !== undefined;
  }

  /** A referral the actor is a party to, locked for the caller's transaction; 404 for anyone else. */
  async lockForParty(manager: EntityManager, actor: Actor, id: string): Promise<Referral> {
    const referral = await manager
      .createQueryBuilder(Referral, 'r')
      .setLock('pessimistic_write')
      .where('r.id = :id', { id })
      .andWhere(':org = ANY(r.party_organization_ids)', { org: actor.organizationId })
      .getOne();
    if (!referral) throw notFound(id);
    return referral;
  }

  /** Every referral of a forward chain, oldest first: they share their parties, so a viewer of one sees all. */
  chain(viewer: Viewer, chainId: string): Promise<Referral[]> {
    return this.visible(viewer).andWhere('r.chain_id = :chainId', { chainId }).orderBy('r.created_at').addOrderBy('r.id').getMany();
  }

  /** The timeline of a referral the viewer may see; internal notes only for the organization that wrote them. */
  timeline(viewer: Viewer, referralId: string): Promise<ReferralTimelineEntry[]> {
    return this.dataSource.manager
      .createQueryBuilder(ReferralTimelineEntry, 't')
      .innerJoin(Referral, 'r', 'r.id = t.referral_id')
      .where('t.referral_id = :referralId', { referralId })
      .andWhere(VISIBLE('r'), visibleTo(viewer))
      .andWhere(`(t.visibility = 'shared' OR t.author_organization_id = :org)`)
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
    // The array containment form, not ANY(): it is the one the GIN index on the parties serves.
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

  /** A new referral with its first timeline entry, its event and its reminders (`more`): one statement, atomic by itself. */
  async insertNew(manager: EntityManager, actor: Actor, [referral, entry, event]: [Referral, ReferralTimelineEntry, TableRow], more: TableRow[] = []): Promise<void> {
    assertAuthoredBy(actor, referral.senderOrganizationId, 'referral');
    assertAuthoredBy(actor, entry.authorOrganizationId, 'timeline entry');
    await insertTogether(manager, [[Referral, referral], [ReferralTimelineEntry, entry], event, ...more]);
  }

  /**
   * What a change to existing referrals adds in one statement: new referrals (a forward) the actor
   * sends, timeline entries it writes, at most one event (two events in one statement would
   * reach the outbox in no set order), and rows without an entity (`more`: a new referral's reminders).
   */
  async insertRows(
    manager: EntityManager,
    actor: Actor,
    { referrals = [], entries, event, more = [] }: { referrals?: Referral[]; entries: ReferralTimelineEntry[]; event?: TableRow; more?: TableRow[] },
  ): Promise<void> {
    for (const referral of referrals) assertAuthoredBy(actor, referral.senderOrganizationId, 'referral');
    for (const entry of entries) assertAuthoredBy(actor, entry.authorOrganizationId, 'timeline entry');
    const rows: RowToInsert[] = [
      ...referrals.map((referral): RowToInsert => [Referral, referral]),
      ...entries.map((entry): RowToInsert => [ReferralTimelineEntry, entry]),
      ...(event ? [event] : []),
      ...more,
    ];
    if (rows.length) await insertTogether(manager, rows);
  }

  /**
   * Optimistic concurrency: the change applies only if the referral is still at the version the
   * caller saw, and only for a party to it. Of two conflicting writes at the same version exactly
   * one finds its row; the other gets false.
   */
  async updateAtVersion(manager: EntityManager, actor: Actor, id: string, expectedVersion: number, changes: Partial<Referral>): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Referral)
      .set(changes)
      .where('id = :id AND version = :expectedVersion', { id, expectedVersion })
      .andWhere(':org = ANY(party_organization_ids)', { org: actor.organizationId })
      .execute();
    return result.affected === 1;
  }

  /** A forward brings a new organization into a chain the actor is a party to: it may now see every referral of it. */
  async addChainParty(manager: EntityManager, actor: Actor, chainId: string, organizationId: string): Promise<void> {
    await manager.query(
      `UPDATE referral SET party_organization_ids = array_append(party_organization_ids, $2)
       WHERE chain_id = $1 AND NOT ($2 = ANY(party_organization_ids)) AND $3 = ANY(party_organization_ids)`,
      [chainId, organizationId, actor.organizationId],
    );
  }

  /** When the receiving organization tried to reach the client: what the unreachable-closure rule counts. */
  async contactAttemptTimes(manager: EntityManager, actor: Actor, referral: Pick<Referral, 'id' | 'receivingOrganizationId'>): Promise<Date[]> {
    const rows: { occurred_at: Date }[] = await manager.query(
      `SELECT t.occurred_at FROM referral_timeline t JOIN referral r ON r.id = t.referral_id
       WHERE t.referral_id = $1 AND t.kind = 'contact-attempt' AND t.author_organization_id = $2 AND $3 = ANY(r.party_organization_ids)
       ORDER BY t.occurred_at`,
      [referral.id, referral.receivingOrganizationId, actor.organizationId],
    );
    return rows.map((r) => r.occurred_at);
  }

  private visible(viewer: Viewer): SelectQueryBuilder<Referral> {
    return this.dataSource.manager.createQueryBuilder(Referral, 'r').where(VISIBLE('r'), visibleTo(viewer));
  }
}

export function notFound(id: string): DomainError {
  return DomainError.notFound('referral.not-found', `No referral ${id} visible to your organization`);
}
