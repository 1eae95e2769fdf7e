import { Injectable } from '@nestjs/common';
import {
  ConsentDecision,
  ConsentRequests,
  DataCategory,
  DecideRequest,
  DiscloseReply,
  DiscloseRequest,
  RegisterReferralClientReply,
  RegisterReferralClientRequest,
  RequestContract,
  WithheldCategory,
} from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { MessagingClient } from '@nwd/messaging';

/** What identifies the person on a referral: without a consent for these, an identified referral is not sent. */
export const IDENTIFYING: readonly DataCategory[] = ['contact'];
/** What a receiver is shown besides, where consent allows (withheld, not refused, where it does not). */
export const DESCRIBING: readonly DataCategory[] = ['demographics'];

/** What an identified referral carries to its receiver: free text (the description) counts as `notes`. */
export function carriedCategories(hasFreeText: boolean): { asked: DataCategory[]; required: DataCategory[] } {
  const text: DataCategory[] = hasFreeText ? ['notes'] : [];
  return { asked: [...IDENTIFYING, ...DESCRIBING, ...text], required: [...IDENTIFYING, ...text] };
}

/**
 * The referral service's questions to the consent service, which alone holds personal data and
 * decides (and records) every disclosure of it. A refusal of what a referral must carry becomes a
 * 422 `consent-required` naming the categories missing and why.
 */
@Injectable()
export class ConsentGateway {
  constructor(private readonly messaging: MessagingClient) {}

  /** Registers the referral's client (or checks `clientId`), records an inline consent and decides, in one round trip. */
  async registerForReferral(request: RegisterReferralClientRequest, required: readonly DataCategory[]): Promise<RegisterReferralClientReply> {
    const reply = await this.ask(ConsentRequests.registerReferralClient, request);
    if (!request.deidentified) assertPermits(reply.decision, required, request.receivingOrganizationId);
    return reply;
  }

  /** May the client's data go on to a new recipient (a forward)? Refuses with `consent-required` when not. */
  async decide(request: DecideRequest, required: readonly DataCategory[]): Promise<ConsentDecision> {
    const decision = await this.ask(ConsentRequests.decide, request);
    assertPermits(decision, required, request.recipientOrganizationId);
    return decision;
  }

  /** The client as the recipient may see it, the disclosure recorded by the consent service before it answers. */
  disclose(request: DiscloseRequest): Promise<DiscloseReply> {
    // Not asked twice: a lost reply may still have been recorded, and the accounting must match what was seen.
    return this.messaging.request(ConsentRequests.disclose, request);
  }

  /** Registering (idempotent by referral id) and deciding (records nothing) are safe to ask once more after a lost reply. */
  private async ask<Q extends object, R extends object>(contract: RequestContract<Q, R>, request: Q): Promise<R> {
    try {
      return await this.messaging.request(contract, request);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'messaging.timeout') return this.messaging.request(contract, request);
      throw error;
    }
  }
}

function assertPermits(decision: ConsentDecision, required: readonly DataCategory[], recipientOrganizationId: string): void {
  const missing = required
    .filter((category) => !decision.allowed.includes(category))
    .map((category): WithheldCategory => decision.withheld.find((w) => w.category === category) ?? { category, reason: 'no-consent' });
  if (missing.length) throw consentRequired(missing, recipientOrganizationId);
}

export function consentRequired(missing: WithheldCategory[], recipientOrganizationId: string): DomainError {
  const named = missing.map((m) => `${m.category} (${m.reason})`).join(', ');
  return DomainError.unprocessable(
    'consent-required',
    `No consent on file lets organization ${recipientOrganizationId} receive ${named}: record the client's consent (consent) or send the referral deidentified`,
    { missing, recipientOrganizationId },
  );
}
