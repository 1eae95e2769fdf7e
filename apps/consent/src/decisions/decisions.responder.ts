import { Injectable } from '@nestjs/common';
import {
  ConsentDecision,
  ConsentRequests,
  DecideRequest,
  DiscloseBatchReply,
  DiscloseBatchRequest,
  DiscloseReply,
  DiscloseRequest,
  RegisterReferralClientBatchReply,
  RegisterReferralClientBatchRequest,
  RegisterReferralClientReply,
  RegisterReferralClientRequest,
} from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { OnRequest } from '@nwd/messaging';
import { ConsentDecisions } from './consent-decisions';
import { DisclosureDesk } from './disclosure-desk';
import { contractDecision, ReferralClientRegistration } from './referral-client-registration';

/** The policy decision point as other services ask it, over NATS request/reply. */
@Injectable()
export class DecisionsResponder {
  constructor(
    private readonly decisions: ConsentDecisions,
    private readonly desk: DisclosureDesk,
    private readonly registration: ReferralClientRegistration,
  ) {}

  @OnRequest(ConsentRequests.decide)
  async decide(request: DecideRequest): Promise<ConsentDecision> {
    return contractDecision((await this.decisions.decide(request)).decision);
  }

  @OnRequest(ConsentRequests.disclose)
  disclose(request: DiscloseRequest): Promise<DiscloseReply> {
    return this.desk.disclose(request);
  }

  @OnRequest(ConsentRequests.discloseBatch)
  async discloseBatch(request: DiscloseBatchRequest): Promise<DiscloseBatchReply> {
    return { results: batchResults(await this.desk.discloseBatch(request.items)) };
  }

  @OnRequest(ConsentRequests.registerReferralClientBatch)
  async registerReferralClientBatch(request: RegisterReferralClientBatchRequest): Promise<RegisterReferralClientBatchReply> {
    return { results: batchResults(await this.registration.registerBatch(request.items)) };
  }

  @OnRequest(ConsentRequests.registerReferralClient)
  registerReferralClient(request: RegisterReferralClientRequest): Promise<RegisterReferralClientReply> {
    return this.registration.register(request);
  }
}

/** Each item's reply or its refusal, in order; anything but a refusal fails the batch as a whole. */
function batchResults<R>(results: PromiseSettledResult<R>[]): { reply?: R; error?: { code: string; kind: string; message: string; extensions?: Record<string, unknown> } }[] {
  return results.map((result) => {
    if (result.status === 'fulfilled') return { reply: result.value };
    if (!(result.reason instanceof DomainError)) throw result.reason;
    const { code, kind, message, extensions } = result.reason;
    return { error: { code, kind, message, extensions } };
  });
}
