import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { hasRole, Principal } from '@nwd/auth';
import { ConsentEvents } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { Outbox } from '@nwd/messaging';
import { Clock } from '@nwd/clock';
import { Client } from './client.entity';
import { ClientVisibility } from './client-visibility';
import { disclosedClientView, ownClientView } from './client.view';
import { ClientsRepository, newClient } from './clients.repository';
import { CreateClientDto, MergeClientDto, PossibleDuplicatesQueryDto, SearchClientsQueryDto, UpdateClientDto } from './dto/client.dto';

const DEFAULT_SEARCH_LIMIT = 20;

/**
 * The client register. An organization reads and changes its own registrations; another
 * organization's only as `ClientVisibility` decides, and what it sees is recorded as disclosed.
 * Anything the caller may not see answers exactly as an unknown id.
 */
@Injectable()
export class ClientsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: ClientsRepository,
    private readonly visibility: ClientVisibility,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  register(principal: Principal, input: CreateClientDto) {
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const client = await this.clients.insert(manager, newClient(uuidv7(), principal.organizationId, input, now));
      return ownClientView(client, await this.clients.possibleDuplicates(manager, principal.organizationId, client));
    });
  }

  read(principal: Principal, id: string) {
    return this.dataSource.transaction(async (manager) => {
      const client = await this.clients.findLive(id, manager);
      if (client && client.createdByOrganizationId === principal.organizationId) {
        return ownClientView(client, await this.clients.possibleDuplicates(manager, principal.organizationId, client));
      }
      const visible = client && (await this.visibility.disclose(manager, principal, [client], 'client-read')).get(client.id);
      if (!visible) throw notFound(id);
      return disclosedClientView(visible);
    });
  }

  /** Only the registering organization changes a registration: a recipient of a disclosure reads it. */
  update(principal: Principal, id: string, input: UpdateClientDto) {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.ownLive(manager, principal, id, true);
      const changes: Partial<Client> = {};
      for (const [key, value] of Object.entries(input) as [keyof UpdateClientDto, unknown][]) {
        if (value !== undefined) (changes as Record<string, unknown>)[key] = value;
      }
      if (!Object.keys(changes).length) return ownClientView(current);
      const updated = await this.clients.update(manager, current.id, { ...changes, updatedAt: this.clock.now() });
      return ownClientView(updated, await this.clients.possibleDuplicates(manager, principal.organizationId, updated));
    });
  }

  /**
   * The organization's own registrations and those visible to it, ranked by how well the name
   * matches. Others' registrations are decided first and disclosed (and recorded) only when they
   * make the page; concealed programs' registrations are never read, so they cannot shape the answer.
   */
  search(principal: Principal, query: SearchClientsQueryDto) {
    const search = { name: query.name, birthDate: query.birthDate, limit: query.limit ?? DEFAULT_SEARCH_LIMIT };
    return this.dataSource.transaction(async (manager) => {
      const own = await this.clients.searchRegisteredBy(manager, principal.organizationId, search);
      const concealed = await this.visibility.concealedOrganizationIds(manager);
      const others = await this.clients.searchRegisteredByOthers(manager, principal.organizationId, concealed, search);
      const viewable = others.length ? await this.visibility.mayView(manager, principal, others.map((m) => m.client)) : new Set<string>();
      const page = [...own.map((m) => ({ ...m, own: true })), ...others.filter((m) => viewable.has(m.client.id)).map((m) => ({ ...m, own: false }))]
        .sort((a, b) => b.score - a.score || Number(b.own) - Number(a.own) || a.client.createdAt.getTime() - b.client.createdAt.getTime())
        .slice(0, search.limit);
      const shown = page.filter((m) => !m.own).map((m) => m.client);
      const disclosed = shown.length ? await this.visibility.disclose(manager, principal, shown, 'client-search') : new Map();
      const data = page.flatMap((m): { score: number; client: object }[] => {
        if (m.own) return [{ score: m.score, client: ownClientView(m.client) }];
        const visible = disclosed.get(m.client.id);
        return visible ? [{ score: m.score, client: disclosedClientView(visible) }] : [];
      });
      return { data };
    });
  }

  /** The organization's possible duplicates, pair by pair, for its staff to review and its org-admin to merge. */
  possibleDuplicates(principal: Principal, query: PossibleDuplicatesQueryDto) {
    return this.dataSource.transaction(async (manager) => {
      const pairs = await this.clients.possibleDuplicatePairs(manager, principal.organizationId, query.limit ?? DEFAULT_SEARCH_LIMIT);
      return { data: pairs.map(({ a, b, score }) => ({ score, clients: [ownClientView(a), ownClientView(b)] })) };
    });
  }

  /**
   * An org-admin folds a duplicate registration of its own into the one it keeps. Recorded, and
   * announced so the referral service re-points the duplicate's referrals at the survivor.
   */
  merge(principal: Principal, survivorId: string, input: MergeClientDto) {
    if (!hasRole(principal, 'org-admin')) throw DomainError.forbidden('consent.client-merge-forbidden', 'Only an org-admin of the registering organization may merge clients');
    if (survivorId === input.duplicateId) {
      throw DomainError.invalid('request.validation-failed', 'A client cannot be merged into itself', [{ field: 'duplicateId', messages: ['duplicateId must differ from the client in the path'] }]);
    }
    return this.dataSource.transaction(async (manager) => {
      // Locked in id order, so two merges of the same pair cannot deadlock.
      const [first, second] = [survivorId, input.duplicateId].sort();
      const locked = new Map<string, Client>();
      for (const id of [first!, second!]) locked.set(id, await this.ownLive(manager, principal, id, true));
      const survivor = locked.get(survivorId)!;
      const duplicate = locked.get(input.duplicateId)!;
      if (survivor.id !== survivorId || duplicate.id !== input.duplicateId) {
        throw DomainError.conflict('consent.client-already-merged', 'One of the clients was already merged into another; merge into the survivor', {
          survivingClientIds: [survivor.id, duplicate.id],
        });
      }
      const now = this.clock.now();
      await this.clients.recordMerge(manager, { id: uuidv7(), organizationId: principal.organizationId, survivingClientId: survivor.id, mergedClientId: duplicate.id, mergedBy: principal.subject, mergedAt: now });
      await this.outbox.append(manager, ConsentEvents.clientMerged, {
        survivingClientId: survivor.id,
        mergedClientId: duplicate.id,
        organizationId: principal.organizationId,
        occurredAt: now.toISOString(),
      });
      return { ...ownClientView(survivor, await this.clients.possibleDuplicates(manager, principal.organizationId, survivor)), mergedClientIds: await this.mergedInto(manager, survivor.id) };
    });
  }

  private async ownLive(manager: EntityManager, principal: Principal, id: string, lock = false): Promise<Client> {
    const client = await this.clients.findLive(id, manager, lock);
    if (!client || client.createdByOrganizationId !== principal.organizationId) throw notFound(id);
    return client;
  }

  private async mergedInto(manager: EntityManager, survivorId: string): Promise<string[]> {
    return (await this.clients.idsOf(manager, survivorId)).filter((id) => id !== survivorId);
  }
}

function notFound(id: string): DomainError {
  return DomainError.notFound('consent.client-not-found', `No client ${id}`);
}
