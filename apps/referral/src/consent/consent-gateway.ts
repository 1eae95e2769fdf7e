import { Injectable } from '@nestjs/common';
import {
  ConsentDecision,
  ConsentRequests,
  DataCategory,
  DecideRequest,
  DISCLOSE_BATCH_MAX,
  REGISTER_BATCH_MAX,
  DiscloseReply,
  DiscloseRequest,
  RegisterReferralClientReply,
  RegisterReferralClientRequest,
  RequestContract,
  WithheldCategory,
} from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { MessagingClient, RequestCoalescer } from '@nwd/messaging';

/** What every identified referral carries about the person (the consent service adds these to a registration itself). */
export const PERSON: readonly DataCategory[] = ['contact', 'demographics'];

/** What an identified referral carries to a receiver: the person, and free text (the description) as `notes`. */
export function carriedCategories(hasFreeText: boolean): DataCategory[] {
  return [...PERSON, ...(hasFreeText ? (['notes'] as const) : [])];
}

/**
 * The referral service's questions to the consent service, which alone holds personal data and
 * decides (and records) every disclosure of it. A refusal of what a referral must carry becomes a
 * 422 `consent-required` naming the categories missing and why.
 */
@Injectable()
export class ConsentGateway {
  /**
   * Concurrent reads' disclosures travel together: one request and, in the consent service, one
   * query and one ledger statement for the batch — a disclosing read's own cost is its messages.
   */
  private readonly disclosures = new RequestCoalescer<DiscloseRequest, DiscloseReply>(
    async (items) => {
      const { results } = await this.messaging.request(ConsentRequests.discloseBatch, { items });
      return results.map(settledFrom);
    },
    { maxBatch: DISCLOSE_BATCH_MAX, maxInFlight: 4 },
  );

  /** Concurrent creates' consent steps, the same way: idempotent by referral id, so a batch is asked once more after a lost reply. */
  private readonly registrations = new RequestCoalescer<RegisterReferralClientRequest, RegisterReferralClientReply>(
    async (items) => {
      const { results } = await this.ask(ConsentRequests.registerReferralClientBatch, { items });
      return results.map(settledFrom);
    },
    { maxBatch: REGISTER_BATCH_MAX, maxInFlight: 2 },
  );

  constructor(private readonly messaging: MessagingClient) {}

  /**
   * Registers the referral's client (or checks `clientId`), records an inline consent and decides,
   * in one round trip. The consent service refuses what no consent permits with `consent-required`
   * (its problem document is the caller's); a permissive reply is checked here all the same.
   */
  async registerForReferral(request: RegisterReferralClientRequest): Promise<RegisterReferralClientReply> {
    const reply = await this.registrations.call(request);
    if (!request.deidentified) assertPermits(reply.decision);
    return reply;
  }

  /** May the client's data go on to a new recipient (a forward)? Refuses with `consent-required` when not all of it may. */
  async decide(request: DecideRequest): Promise<ConsentDecision> {
    const decision = await this.ask(ConsentRequests.decide, request);
    assertPermits(decision, request.recipientOrganizationId);
    return decision;
  }

  /** The client as the recipient may see it, the disclosure recorded by the consent service before it answers. */
  disclose(request: DiscloseRequest): Promise<DiscloseReply> {
    // Not asked twice: a lost reply may still have been recorded, and the accounting must match what was seen.
    return this.disclosures.call(request);
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

/** A batch item's outcome as the caller's own: its reply, or the consent service's DomainError. */
function settledFrom<R>(result: { reply?: R; error?: { code: string; kind: string; message: string; extensions?: Record<string, unknown> } }): PromiseSettledResult<R> {
  if (result.reply) return { status: 'fulfilled', value: result.reply };
  return { status: 'rejected', reason: DomainError.foreign(result.error as Parameters<typeof DomainError.foreign>[0]) };
}

function assertPermits(decision: ConsentDecision, recipientOrganizationId?: string): void {
  if (!decision.permitted) throw consentRequired(decision.withheld, recipientOrganizationId);
}

/** The consent service's own refusal, in the same shape: `missing` the categories, `withheld` each with its reason. */
export function consentRequired(withheld: WithheldCategory[], recipientOrganizationId?: string): DomainError {
  const named = withheld.map((w) => `${w.category} (${w.reason})`).join(', ');
  const recipient = recipientOrganizationId ? `organization ${recipientOrganizationId}` : 'the receiving organization';
  return DomainError.unprocessable('consent-required', `No consent permits ${recipient} ${named}: record the client's consent, or send the referral de-identified`, {
    missing: withheld.map((w) => w.category),
    withheld,
    ...(recipientOrganizationId ? { recipientOrganizationId } : {}),
  });
}
