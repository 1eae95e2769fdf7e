import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CONSENT_PURPOSES, ConsentPurpose, DataCategory } from '@nwd/contracts';
import { Clock } from '@nwd/clock';
import type { Client } from '../clients/client.entity';
import { ConsentsRepository } from '../consents/consents.repository';
import { OrganizationRegistry } from '../organizations/organization-registry';
import { ConsentPolicy, PolicyDecision } from './consent-policy';

type Registration = Pick<Client, 'id' | 'createdByOrganizationId'>;

/** The categories a register read is about: who the person is and how to reach them. */
export const REGISTER_CATEGORIES: DataCategory[] = ['contact', 'demographics'];

export interface RegisterDecision {
  purpose: ConsentPurpose;
  decision: PolicyDecision;
}

/**
 * Which clients an organization may see in the register: those it registered, and those whose
 * consent lets it receive `demographics` for some purpose now. The registering organization is
 * the source of the record, so a DV program's clients are seen only under VAWA's consent.
 */
@Injectable()
export class ConsentVisibility {
  constructor(
    private readonly consents: ConsentsRepository,
    private readonly organizations: OrganizationRegistry,
    private readonly policy: ConsentPolicy,
    private readonly clock: Clock,
  ) {}

  async canSee(organizationId: string, client: Registration): Promise<boolean> {
    return (await this.visible(organizationId, [client])).has(client.id);
  }

  /** The ids among `clients` that `organizationId` may see: one query for all their consents. */
  async visible(organizationId: string, clients: readonly Registration[], manager?: EntityManager): Promise<Set<string>> {
    const seen = new Set(clients.filter((c) => c.createdByOrganizationId === organizationId).map((c) => c.id));
    const decided = await this.decideMany(organizationId, clients.filter((c) => !seen.has(c.id)), manager);
    for (const [id, { decision }] of decided) if (decision.allowed.includes('demographics')) seen.add(id);
    return seen;
  }

  /**
   * For each of others' registrations, the decision on `contact` and `demographics` under the
   * purpose that allows the most (ties: the first purpose). Clients with no consent on file are
   * decided too: network policy may release something, and the reasons are shown.
   */
  async decideMany(organizationId: string, clients: readonly Registration[], manager?: EntityManager): Promise<Map<string, RegisterDecision>> {
    const decided = new Map<string, RegisterDecision>();
    if (!clients.length) return decided;
    const [consents, recipient, sources] = await Promise.all([
      this.consents.forClients(clients.map((c) => c.id), manager),
      this.organizations.describe(organizationId),
      this.organizations.describeAll(clients.map((c) => c.createdByOrganizationId)),
    ]);
    const sourceOf = new Map(sources.map((s) => [s.organizationId, s]));
    const now = this.clock.now();
    for (const client of clients) {
      let best: RegisterDecision | undefined;
      for (const purpose of CONSENT_PURPOSES) {
        const decision = this.policy.decide(
          { recipient, sources: [sourceOf.get(client.createdByOrganizationId)!], registeringOrganizationId: client.createdByOrganizationId, purpose, categories: REGISTER_CATEGORIES, now },
          consents.get(client.id) ?? [],
        );
        if (!best || decision.allowed.length > best.decision.allowed.length) best = { purpose, decision };
      }
      decided.set(client.id, best!);
    }
    return decided;
  }
}
