import { Injectable } from '@nestjs/common';
import { Viewer } from '@nwd/auth';
import { RequestContext } from '@nwd/observability';
import { Referral } from '../referrals/entities/referral.entity';
import { ReferralTimelineEntry } from '../referrals/entities/referral-timeline-entry.entity';
import { ClientAccess } from './client-access';
import { carriedCategories, ConsentGateway } from './consent-gateway';

/**
 * What a reader of a referral sees of its person. Every read asks the consent service (channel
 * `referral-read`), which decides at that moment and records the disclosure before it answers:
 * nothing is cached here, so a revocation applies to the very next read. The record a read carries
 * is the referral's sender's (the client as it was referred, its description), so the sender is the
 * source the DV and Part 2 rules look at; the sender's own reads of a client it registered are not
 * disclosures.
 */
@Injectable()
export class ReferralDisclosure {
  constructor(private readonly consent: ConsentGateway) {}

  async forReader(viewer: Viewer, referral: Referral, timeline: readonly ReferralTimelineEntry[]): Promise<ClientAccess> {
    const reader = viewer.organizationId;
    if (referral.deidentified && reader !== referral.senderOrganizationId) return ClientAccess.deidentified();
    const othersText =
      (referral.description !== null && referral.senderOrganizationId !== reader) || timeline.some((e) => e.text !== null && e.authorOrganizationId !== reader);
    const asked = carriedCategories(othersText);
    const requestId = RequestContext.requestId();
    const reply = await this.consent.disclose({
      clientId: referral.clientId,
      recipientOrganizationId: reader,
      purpose: 'referral',
      categories: asked,
      // The referral's record is its sender's: read by the sender itself (which registered the client, or had it disclosed before) nothing passes between organizations.
      sourceOrganizationIds: referral.senderOrganizationId === reader ? [] : [referral.senderOrganizationId],
      channel: 'referral-read',
      referralId: referral.id,
      ...(requestId ? { requestId } : {}),
    });
    return ClientAccess.disclosed(referral.clientId, asked, reply);
  }
}
