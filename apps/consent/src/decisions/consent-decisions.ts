import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ConsentPurpose, DataCategory, DisclosureChannel } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { Clock } from '../clock/clock';
import { ClientOwnership, ClientRecords } from '../consents/client-records';
import { ConsentsRepository } from '../consents/consents.repository';
import { OrganizationRegistry } from '../organizations/organization-registry';
import { ConsentPolicy, PolicyDecision } from './consent-policy';

export interface DisclosureQuestion {
  clientId: string;
  recipientOrganizationId: string;
  purpose: ConsentPurpose;
  categories: readonly DataCategory[];
  sourceOrganizationIds: readonly string[];
  channel?: DisclosureChannel;
}

export interface DecidedDisclosure {
  decision: PolicyDecision;
  /** The client decided about: the survivor, when the id asked about was merged into another. */
  client: ClientOwnership;
}

/**
 * Gathers the facts of a decision — the client's consents (one indexed query), who registered
 * it (one more), the parties' kinds and protections (memory) — and lets ConsentPolicy decide.
 */
@Injectable()
export class ConsentDecisions {
  constructor(
    private readonly consents: ConsentsRepository,
    private readonly clients: ClientRecords,
    private readonly organizations: OrganizationRegistry,
    private readonly policy: ConsentPolicy,
    private readonly clock: Clock,
  ) {}

  async decide(question: DisclosureQuestion, manager?: EntityManager): Promise<DecidedDisclosure> {
    const client = await this.client(question.clientId, manager);
    const [consents, recipient, sources] = await Promise.all([
      this.consents.forClient(client.id, manager),
      this.organizations.describe(question.recipientOrganizationId),
      this.organizations.describeAll(question.sourceOrganizationIds),
    ]);
    const decision = this.policy.decide(
      {
        recipient,
        sources,
        registeringOrganizationId: client.createdByOrganizationId,
        purpose: question.purpose,
        categories: question.categories,
        channel: question.channel,
        now: this.clock.now(),
      },
      consents,
    );
    return { decision, client };
  }

  private async client(id: string, manager?: EntityManager): Promise<ClientOwnership> {
    // A merged record decides as its survivor.
    const client = await this.clients.current(id, manager);
    if (!client) throw DomainError.notFound('consent.client-not-found', `No client ${id} in the register`);
    return client;
  }
}
