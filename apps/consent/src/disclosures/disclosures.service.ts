import { Injectable } from '@nestjs/common';
import { hasRole, isNetworkAdmin, Principal } from '@nwd/auth';
import { DomainError } from '@nwd/errors';
import { DisclosureHistoryQueryDto } from './dto/disclosure.dto';
import { DisclosuresRepository } from './disclosures.repository';

const DEFAULT_PAGE = 100;

/**
 * The accounting of disclosures as the person's referring organization answers for it: every
 * disclosure of the client's data to another organization, who received which categories, when,
 * for what purpose and under which consents.
 */
@Injectable()
export class DisclosuresService {
  constructor(private readonly disclosures: DisclosuresRepository) {}

  async history(principal: Principal, clientId: string, query: DisclosureHistoryQueryDto) {
    const subject = await this.disclosures.subject(clientId);
    const registering = subject?.registeredByOrganizationId === principal.organizationId && hasRole(principal, 'org-admin', 'staff');
    // Anyone else learns nothing, not even that the client exists.
    if (!subject || !(registering || isNetworkAdmin(principal))) throw DomainError.notFound('consent.client-not-found', `No client ${clientId}`);
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.disclosures.history(subject, { after: query.after, limit });
    return {
      clientId: subject.clientId,
      data: rows.map((d) => ({
        id: d.id,
        disclosedAt: d.disclosedAt.toISOString(),
        clientId: d.clientId,
        recipientOrganizationId: d.recipientOrganizationId,
        sourceOrganizationIds: d.sourceOrganizationIds,
        purpose: d.purpose,
        categories: d.categories,
        channel: d.channel,
        consentIds: d.consentIds,
        referralId: d.referralId,
      })),
      ...(rows.length === limit ? { next: rows[rows.length - 1]!.id } : {}),
    };
  }
}
