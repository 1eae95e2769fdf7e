import { Injectable } from '@nestjs/common';
import { Viewer } from '@nwd/auth';
import { DataCategory } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { RequestContext } from '@nwd/observability';
import { Referral } from '../referrals/entities/referral.entity';
import { ReferralTimelineEntry } from '../referrals/entities/referral-timeline-entry.entity';
import { ClientAccess } from './client-access';
import { carriedCategories, ConsentGateway } from './consent-gateway';
import { ReadAccess } from './read-access';

/** Who referred the client first: the description travels unchanged along a forward chain, so it is theirs. */
export function firstSenderOf(referral: Referral, chain: readonly Referral[]): string {
  return (chain.find((link) => link.forwardedFromId === null) ?? referral).senderOrganizationId;
}

/**
 * What a reader of a referral sees of its person and of other organizations' free text. Every
 * read asks the consent service (channel `referral-read`), which decides at that moment and
 * records the disclosure before it answers: nothing is cached here, so a revocation applies to the
 * very next read. Each question names the organizations whose records it carries, so the DV and
 * Part 2 rules look at the right ones:
 * - a receiver (or anyone who did not refer the client) reads the person as the sender of the
 *   link it received passed it on, with the free text of every other author: one question;
 * - a referrer (the sender of the referral read, or the first of its chain) reads the person as it
 *   came to know it — the first sender its own record, not a disclosure — and each other
 *   organization's notes back to it under a question of their own (`toReferrer`), so a
 *   substance-use program's notes need a consent naming the referrer and bring the Part 2 notice.
 * When the consent service cannot be asked, the read fails closed (`consent-unavailable`) but
 * still shows the referral: nothing it alone may release, nothing disclosed.
 */
@Injectable()
export class ReferralDisclosure {
  constructor(private readonly consent: ConsentGateway) {}

  async forReader(viewer: Viewer, referral: Referral, timeline: readonly ReferralTimelineEntry[], chain: readonly Referral[]): Promise<ReadAccess> {
    const reader = viewer.organizationId;
    const firstSender = firstSenderOf(referral, chain);
    if (referral.deidentified && reader !== firstSender) return new ReadAccess(reader, ClientAccess.deidentified());
    const personSource = reader === firstSender ? undefined : (chain.find((link) => link.receivingOrganizationId === reader) ?? referral).senderOrganizationId;
    const authors = textAuthors(referral, timeline, firstSender, reader);
    const referrer = reader === firstSender || reader === referral.senderOrganizationId;
    if (!referrer) {
      const sources = [...new Set([...(personSource ? [personSource] : []), ...authors])];
      return new ReadAccess(reader, await this.ask(reader, referral, carriedCategories(authors.length > 0), sources));
    }
    const back = authors.filter((author) => author !== personSource);
    const [person, ...notes] = await Promise.all([
      this.ask(reader, referral, carriedCategories(authors.length > back.length), personSource ? [personSource] : []),
      ...back.map((author) => this.ask(reader, referral, ['notes'], [author], true)),
    ]);
    return new ReadAccess(reader, person!, new Map(back.map((author, i) => [author, notes[i]!])));
  }

  private async ask(reader: string, referral: Referral, asked: DataCategory[], sourceOrganizationIds: string[], toReferrer = false): Promise<ClientAccess> {
    const requestId = RequestContext.requestId();
    try {
      const reply = await this.consent.disclose({
        clientId: referral.clientId,
        recipientOrganizationId: reader,
        purpose: 'referral',
        categories: asked,
        sourceOrganizationIds,
        channel: 'referral-read',
        referralId: referral.id,
        ...(toReferrer ? { toReferrer } : {}),
        ...(requestId ? { requestId } : {}),
      });
      return ClientAccess.disclosed(referral.clientId, asked, reply);
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'unavailable') return ClientAccess.unavailable(referral.clientId);
      throw error;
    }
  }
}

/** The organizations other than the reader whose free text the read carries: the description's, the outcome's, the timeline's. */
function textAuthors(referral: Referral, timeline: readonly ReferralTimelineEntry[], firstSender: string, reader: string): string[] {
  const authors = new Set<string>();
  if (referral.description !== null) authors.add(firstSender);
  if (referral.outcomeText !== null) authors.add(referral.receivingOrganizationId);
  for (const entry of timeline) if (entry.text !== null) authors.add(entry.authorOrganizationId);
  authors.delete(reader);
  return [...authors];
}
