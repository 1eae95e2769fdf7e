import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLIENT_FIELDS_BY_CATEGORY, DataCategory, DisclosedClient, DiscloseReply, DiscloseRequest } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { Client } from '../clients/client.entity';
import { ConsentsRepository } from '../consents/consents.repository';
import { DisclosureLedger } from '../disclosures/disclosure-ledger';
import { ConsentDecisions } from './consent-decisions';
import { contractDecision } from './referral-client-registration';

/**
 * Decide, release only what is allowed, and account for it before the reply leaves, so nothing is
 * disclosed that was not decided and recorded: the decisions read the clients and their consents in
 * one query, the records are one statement, and the replies are built only once it succeeded. A
 * batch (a service coalescing its concurrent reads) is decided item by item, each as if asked
 * alone; an item refused (an unknown client) fails alone. The registering organization's own reads
 * get the whole record and are not disclosures.
 */
@Injectable()
export class DisclosureDesk {
  constructor(
    private readonly dataSource: DataSource,
    private readonly consents: ConsentsRepository,
    private readonly decisions: ConsentDecisions,
    private readonly ledger: DisclosureLedger,
  ) {}

  async disclose(request: DiscloseRequest): Promise<DiscloseReply> {
    const [result] = await this.discloseBatch([request]);
    if (result!.status === 'rejected') throw result!.reason;
    return result!.value;
  }

  async discloseBatch(requests: readonly DiscloseRequest[]): Promise<PromiseSettledResult<DiscloseReply>[]> {
    const manager = this.dataSource.manager;
    const facts = await this.consents.forDecisions(requests.map((r) => r.clientId), manager);
    const decided = await Promise.all(
      requests.map(async (request) => {
        const found = facts.get(request.clientId);
        if (!found) return { request, refusal: DomainError.notFound('consent.client-not-found', `No client ${request.clientId} in the register`) };
        return { request, client: found.client, decision: await this.decisions.decideOver(found.client, found.consents, request) };
      }),
    );
    const disclosed = decided.filter((d) => d.decision && d.decision.allowed.length && !d.decision.ownAccess);
    const recorded = await this.ledger.record(
      manager,
      disclosed.map(({ request, client, decision }) => ({
        clientId: client!.id,
        recipientOrganizationId: request.recipientOrganizationId,
        sourceOrganizationIds: [...request.sourceOrganizationIds],
        purpose: request.purpose,
        categories: decision!.allowed,
        channel: request.channel,
        consentIds: decision!.consentIds,
        referralId: request.referralId ?? null,
        ...(request.requestId ? { requestId: request.requestId } : {}),
      })),
    );
    const disclosureIds = new Map(disclosed.map((d, i) => [d, recorded[i]!.id]));
    return decided.map((d): PromiseSettledResult<DiscloseReply> => {
      if (!d.decision) return { status: 'rejected', reason: d.refusal };
      const decision = contractDecision(d.decision);
      if (!d.decision.allowed.length) return { status: 'fulfilled', value: { decision } };
      const released = releasedFields(d.client!, d.decision.allowed);
      const disclosureId = disclosureIds.get(d);
      return { status: 'fulfilled', value: { decision, ...(released ? { client: released } : {}), ...(disclosureId ? { disclosureId } : {}) } };
    });
  }
}

/** The register fields of the allowed categories; undefined when none of them is a client field. */
export function releasedFields(row: Client, allowed: readonly DataCategory[]): DisclosedClient | undefined {
  const fields = allowed.flatMap((category) => (category in CLIENT_FIELDS_BY_CATEGORY ? CLIENT_FIELDS_BY_CATEGORY[category as keyof typeof CLIENT_FIELDS_BY_CATEGORY] : []));
  if (!fields.length) return undefined;
  const client: Record<string, unknown> = { id: row.id };
  for (const field of fields) client[field] = row[field];
  return client as unknown as DisclosedClient;
}
