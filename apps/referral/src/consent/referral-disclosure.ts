import { Injectable } from '@nestjs/common';
import { RequestContext } from '@nwd/observability';
import { Referral } from '../referrals/entities/referral.entity';
import { ReferralTimelineEntry } from '../referrals/entities/referral-timeline-entry.entity';
import { Viewer } from '../referrals/tenancy';
import { ClientAccess } from './client-access';
import { carriedCategories, ConsentGateway } from './consent-gateway';

/**
 * What a reader of a referral sees of its person. Every read asks the consent service (channel
 * `referral-read`), which decides at that moment and records the disclosure before it answers:
 * nothing is cached here, so a revocation applies to the very next read. The records the read
 * carries are the other parties' (the chain's organizations), which the DV and Part 2 rules look at.
 */
@Injectable()
export class ReferralDisclosure {
  constructor(private readonly consent: ConsentGateway) {}

  async forReader(viewer: Viewer, referral: Referral, timeline: readonly ReferralTimelineEntry[]): Promise<ClientAccess> {
    const reader = viewer.organizationId;
    if (referral.deidentified && reader !== referral.senderOrganizationId) return ClientAccess.deidentified();
    const othersText =
      (referral.description !== null && referral.senderOrganizationId !== reader) || timeline.some((e) => e.text !== null && e.authorOrganizationId !== reader);
    const { asked } = carriedCategories(othersText);
    const requestId = RequestContext.requestId();
    const reply = await this.consent.disclose({
      clientId: referral.clientId,
      recipientOrganizationId: reader,
      purpose: 'referral',
      categories: asked,
      sourceOrganizationIds: referral.partyOrganizationIds.filter((organizationId) => organizationId !== reader),
      channel: 'referral-read',
      referralId: referral.id,
      ...(requestId ? { requestId } : {}),
    });
    return ClientAccess.disclosed(referral.clientId, asked, reply);
  }
}
