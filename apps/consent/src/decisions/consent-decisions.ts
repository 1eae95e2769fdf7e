import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ConsentPurpose, DataCategory, DisclosureChannel } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { Clock } from '@nwd/clock';
import { Client } from '../clients/client.entity';
import { ConsentsRepository } from '../consents/consents.repository';
import { OrganizationRegistry } from '../organizations/organization-registry';
import { ConsentPolicy, ConsentTerms, PolicyDecision } from './consent-policy';

export interface DisclosureQuestion {
  clientId: string;
  recipientOrganizationId: string;
  purpose: ConsentPurpose;
  categories: readonly DataCategory[];
  sourceOrganizationIds: readonly string[];
  channel?: DisclosureChannel;
  toReferrer?: boolean;
}

export interface DecidedDisclosure {
  decision: PolicyDecision;
  /** The client decided about: the survivor, when the id asked about was merged into another. */
  client: Client;
}

/**
 * Gathers the facts of a decision — the client and its consents (one query: a read that discloses
 * costs it and the ledger's append, two round trips),
 * the parties' kinds and protections (memory) — and lets ConsentPolicy decide.
 */
@Injectable()
export class ConsentDecisions {
  constructor(
    private readonly consents: ConsentsRepository,
    private readonly organizations: OrganizationRegistry,
    private readonly policy: ConsentPolicy,
    private readonly clock: Clock,
  ) {}

  async decide(question: DisclosureQuestion, manager?: EntityManager): Promise<DecidedDisclosure> {
    // A merged record decides as its survivor, over the survivor's consents.
    const facts = await this.consents.forDecision(question.clientId, manager);
    if (!facts) throw DomainError.notFound('consent.client-not-found', `No client ${question.clientId} in the register`);
    return { decision: await this.decideOver(facts.client, facts.consents, question), client: facts.client };
  }

  /** Decides over facts the caller already holds (a registration deciding on what it is about to write). */
  async decideOver(client: Pick<Client, 'createdByOrganizationId'>, consents: readonly ConsentTerms[], question: Omit<DisclosureQuestion, 'clientId'>): Promise<PolicyDecision> {
    const [recipient, sources] = await Promise.all([
      this.organizations.describe(question.recipientOrganizationId),
      // The register's record is the registering organization's: a DV or Part 2 program's client is protected wherever it is read from.
      this.organizations.describeAll([...question.sourceOrganizationIds, client.createdByOrganizationId]),
    ]);
    return this.policy.decide(
      {
        recipient,
        sources,
        registeringOrganizationId: client.createdByOrganizationId,
        purpose: question.purpose,
        categories: question.categories,
        channel: question.channel,
        toReferrer: question.toReferrer,
        now: this.clock.now(),
      },
      consents,
    );
  }
}
