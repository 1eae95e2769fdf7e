import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLIENT_FIELDS_BY_CATEGORY, DataCategory, DisclosedClient, DiscloseReply, DiscloseRequest } from '@nwd/contracts';
import { Client } from '../clients/client.entity';
import { DisclosureLedger } from '../disclosures/disclosure-ledger';
import { ConsentDecisions } from './consent-decisions';
import { contractDecision } from './referral-client-registration';

/**
 * Decide, release only what is allowed, and account for it before the reply leaves, so nothing is
 * disclosed that was not decided and recorded: the decision reads the client and its consents, the
 * record is one statement, and the reply is built only once it succeeded. The registering
 * organization's own reads get the whole record and are not disclosures.
 */
@Injectable()
export class DisclosureDesk {
  constructor(
    private readonly dataSource: DataSource,
    private readonly decisions: ConsentDecisions,
    private readonly ledger: DisclosureLedger,
  ) {}

  async disclose(request: DiscloseRequest): Promise<DiscloseReply> {
    const manager = this.dataSource.manager;
    const { decision, client } = await this.decisions.decide(request, manager);
    if (!decision.allowed.length) return { decision: contractDecision(decision) };
    const released = releasedFields(client, decision.allowed);
    if (decision.ownAccess) return { decision: contractDecision(decision), ...(released ? { client: released } : {}) };
    const [recorded] = await this.ledger.record(manager, [
      {
        clientId: client.id,
        recipientOrganizationId: request.recipientOrganizationId,
        sourceOrganizationIds: [...request.sourceOrganizationIds],
        purpose: request.purpose,
        categories: decision.allowed,
        channel: request.channel,
        consentIds: decision.consentIds,
        referralId: request.referralId ?? null,
        ...(request.requestId ? { requestId: request.requestId } : {}),
      },
    ]);
    return { decision: contractDecision(decision), ...(released ? { client: released } : {}), disclosureId: recorded!.id };
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
