import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ClientDetails } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { Client } from './client.entity';

export type NewClient = Omit<Client, 'mergedIntoId' | 'updatedAt'> & { updatedAt?: Date };

/**
 * A new registration from the person's details as an API or the referral service sent them:
 * optional fields absent are stored empty. The policy's referral-client handler builds its rows here too.
 */
export function newClient(id: string, createdByOrganizationId: string, details: ClientDetails, createdAt: Date): NewClient {
  return {
    id,
    createdByOrganizationId,
    givenName: details.givenName,
    familyName: details.familyName,
    birthDate: details.birthDate,
    phone: details.phone ?? null,
    email: details.email ?? null,
    postalCode: details.postalCode ?? null,
    preferredLanguage: details.preferredLanguage ?? null,
    interpreterNeeded: details.interpreterNeeded ?? false,
    contactPreference: details.contactPreference ?? null,
    doNotContact: details.doNotContact ?? false,
    race: details.race ?? [],
    ethnicity: details.ethnicity ?? [],
    sex: details.sex ?? null,
    genderIdentity: details.genderIdentity ?? null,
    createdAt,
  };
}

/** A search hit: the live record and how well its name matches (0–1). */
export interface ClientMatch {
  client: Client;
  score: number;
}

export interface ClientSearch {
  /** As typed; normalized in the database exactly as the stored names are. */
  name: string;
  birthDate?: string;
  limit: number;
}

/** Word similarity a hit needs: with an exact birth date a weaker name match is still the person. */
const THRESHOLD_WITH_BIRTH_DATE = 0.3;
const THRESHOLD_NAME_ONLY = 0.5;
/** Same birth date and a name at least this close: flagged as a possible duplicate within the organization. */
export const DUPLICATE_THRESHOLD = 0.5;

export const CLIENT_COLUMNS = `c.id, c.created_by_organization_id, c.given_name, c.family_name, c.birth_date::text AS birth_date, c.phone, c.email,
  c.postal_code, c.preferred_language, c.interpreter_needed, c.contact_preference, c.do_not_contact, c.race, c.ethnicity, c.sex,
  c.gender_identity, c.merged_into_id, c.created_at, c.updated_at`;

/**
 * The register's rows. Lookups by id answer whatever the id names (callers decide who may see it);
 * searches take the organization whose registrations they read, so a search without its tenant
 * filter does not compile.
 */
@Injectable()
export class ClientsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, client: NewClient): Promise<Client> {
    await manager.insert(Client, { ...client, mergedIntoId: null, updatedAt: client.updatedAt ?? client.createdAt });
    return manager.findOneByOrFail(Client, { id: client.id });
  }

  /**
   * Registers clients handed over by the referral service, keeping their ids; a client already here
   * is left as it is. Returns every id now held, the ones already there included.
   */
  async insertHandedOver(manager: EntityManager, clients: NewClient[]): Promise<string[]> {
    if (!clients.length) return [];
    await manager.createQueryBuilder().insert().into(Client).values(clients.map((c) => ({ ...c, mergedIntoId: null, updatedAt: c.updatedAt ?? c.createdAt }))).orIgnore().execute();
    const held = await manager.query(`SELECT id FROM client WHERE id = ANY ($1::uuid[])`, [clients.map((c) => c.id)]);
    return held.map((r: { id: string }) => r.id);
  }

  async update(manager: EntityManager, id: string, changes: Partial<Client>): Promise<Client> {
    await manager.update(Client, { id }, changes);
    return manager.findOneByOrFail(Client, { id });
  }

  /** The row the id names, merged or not. */
  find(id: string, manager: EntityManager = this.dataSource.manager): Promise<Client | null> {
    return manager.findOneBy(Client, { id });
  }

  /** The live record an id stands for: itself, or the survivor it was merged into. */
  async findLive(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<Client | null> {
    const client = await manager.findOne(Client, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!client?.mergedIntoId) return client;
    // Merges re-point earlier merges at the survivor, so one hop reaches the live record.
    return manager.findOne(Client, { where: { id: client.mergedIntoId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  async getLive(id: string, manager?: EntityManager): Promise<Client> {
    const client = await this.findLive(id, manager);
    if (!client) throw DomainError.notFound('consent.client-not-found', `No client ${id}`);
    return client;
  }

  /** Ids that stand for the client: its own and those merged into it. */
  async idsOf(manager: EntityManager, survivorId: string): Promise<string[]> {
    const rows = await manager.query(`SELECT id FROM client WHERE id = $1 OR merged_into_id = $1`, [survivorId]);
    return rows.map((r: { id: string }) => r.id);
  }

  /** Live registrations of `organizationId` matching the name (and birth date), best first. */
  searchRegisteredBy(manager: EntityManager, organizationId: string, search: ClientSearch): Promise<ClientMatch[]> {
    return this.search(manager, search, `c.created_by_organization_id = $3`, [organizationId]);
  }

  /** Live registrations of every organization except `organizationId` and the concealed ones, best first. */
  searchRegisteredByOthers(manager: EntityManager, organizationId: string, concealed: readonly string[], search: ClientSearch): Promise<ClientMatch[]> {
    return this.search(manager, search, `c.created_by_organization_id <> $3 AND c.created_by_organization_id <> ALL ($4::uuid[])`, [organizationId, [...concealed]]);
  }

  /** The organization's other live registrations that may be the same person (same birth date, a close name). */
  async possibleDuplicates(manager: EntityManager, organizationId: string, client: Pick<Client, 'id' | 'givenName' | 'familyName' | 'birthDate'>): Promise<ClientMatch[]> {
    const matches = await this.search(
      manager,
      { name: `${client.givenName} ${client.familyName}`, birthDate: client.birthDate, limit: 10 },
      `c.created_by_organization_id = $3 AND c.id <> $4`,
      [organizationId, client.id],
    );
    return matches.filter((m) => m.score >= DUPLICATE_THRESHOLD);
  }

  /**
   * Pairs of the organization's live registrations that may be one person (same birth date, a name
   * as close as `possibleDuplicates` asks, either way round), closest first: what its org-admin
   * reviews before merging.
   */
  async possibleDuplicatePairs(manager: EntityManager, organizationId: string, limit: number): Promise<{ a: Client; b: Client; score: number }[]> {
    const pairs = await manager.query(
      `SELECT a.id AS a, b.id AS b,
              (greatest(word_similarity(a.search_name, b.search_name), word_similarity(b.search_name, a.search_name))
               + similarity(a.search_name, b.search_name)) / 2 AS score
         FROM client a JOIN client b
           ON b.birth_date = a.birth_date AND b.created_by_organization_id = a.created_by_organization_id AND b.id > a.id
        WHERE a.created_by_organization_id = $1 AND a.merged_into_id IS NULL AND b.merged_into_id IS NULL
          AND (greatest(word_similarity(a.search_name, b.search_name), word_similarity(b.search_name, a.search_name))
               + similarity(a.search_name, b.search_name)) / 2 >= $2
        ORDER BY score DESC, a.id, b.id
        LIMIT $3`,
      [organizationId, DUPLICATE_THRESHOLD, limit],
    );
    if (!pairs.length) return [];
    const ids = [...new Set(pairs.flatMap((p: { a: string; b: string }) => [p.a, p.b]))];
    const rows = await manager.query(`SELECT ${CLIENT_COLUMNS} FROM client c WHERE c.id = ANY ($1::uuid[])`, [ids]);
    const byId = new Map<string, Client>(rows.map((r: Record<string, any>) => [r.id, toClient(r)]));
    return pairs.map((p: { a: string; b: string; score: string }) => ({ a: byId.get(p.a)!, b: byId.get(p.b)!, score: Math.round(Number(p.score) * 100) / 100 }));
  }

  async recordMerge(
    manager: EntityManager,
    merge: { id: string; organizationId: string; survivingClientId: string; mergedClientId: string; mergedBy: string; mergedAt: Date },
  ): Promise<void> {
    await manager.query(`UPDATE client SET merged_into_id = $1, updated_at = $3 WHERE id = $2 OR merged_into_id = $2`, [merge.survivingClientId, merge.mergedClientId, merge.mergedAt]);
    await manager.query(
      `INSERT INTO client_merge (id, organization_id, surviving_client_id, merged_client_id, merged_by, merged_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [merge.id, merge.organizationId, merge.survivingClientId, merge.mergedClientId, merge.mergedBy, merge.mergedAt],
    );
  }

  /**
   * A hit holds the query's words (word similarity, whichever order they come in, typos forgiven);
   * it ranks by that and by how much of the stored name the query covers, so the exact name comes
   * before a longer one that contains it. A birth date
   * is matched exactly and lets the (btree) date index narrow the rows before names are compared.
   */
  private async search(manager: EntityManager, search: ClientSearch, tenant: string, tenantParams: unknown[]): Promise<ClientMatch[]> {
    const threshold = search.birthDate ? THRESHOLD_WITH_BIRTH_DATE : THRESHOLD_NAME_ONLY;
    const params: unknown[] = [search.name, search.limit, ...tenantParams];
    // Written out, not in a CTE: the planner folds the immutable call to a constant and can use the trigram index.
    const query = `client_search_name($1, '')`;
    const conditions = ['c.merged_into_id IS NULL', tenant];
    if (search.birthDate) {
      params.push(search.birthDate);
      conditions.push(`c.birth_date = $${params.length}::date`);
    } else {
      // The trigram index answers `%>` (word similarity above pg_trgm.word_similarity_threshold).
      conditions.push(`c.search_name %> ${query}`);
      await manager.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [String(threshold)]);
    }
    params.push(threshold);
    const rows = await manager.query(
      `SELECT ${CLIENT_COLUMNS}, (word_similarity(${query}, c.search_name) + similarity(${query}, c.search_name)) / 2 AS score
         FROM client c
        WHERE ${conditions.join(' AND ')}
          AND word_similarity(${query}, c.search_name) >= $${params.length}
        ORDER BY score DESC, c.created_at, c.id
        LIMIT $2`,
      params,
    );
    return rows.map((r: Record<string, any>) => ({ client: toClient(r), score: Math.round(Number(r.score) * 100) / 100 }));
  }
}

export function toClient(r: Record<string, any>): Client {
  return Object.assign(new Client(), {
    id: r.id,
    createdByOrganizationId: r.created_by_organization_id,
    givenName: r.given_name,
    familyName: r.family_name,
    birthDate: r.birth_date,
    phone: r.phone,
    email: r.email,
    postalCode: r.postal_code,
    preferredLanguage: r.preferred_language,
    interpreterNeeded: r.interpreter_needed,
    contactPreference: r.contact_preference,
    doNotContact: r.do_not_contact,
    race: r.race,
    ethnicity: r.ethnicity,
    sex: r.sex,
    genderIdentity: r.gender_identity,
    mergedIntoId: r.merged_into_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
}
