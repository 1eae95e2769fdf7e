import { Injectable } from '@nestjs/common';
import {
  ConsentDecision,
  ConsentRequests,
  DecideRequest,
  DiscloseReply,
  DiscloseRequest,
  RegisterReferralClientReply,
  RegisterReferralClientRequest,
} from '@nwd/contracts';
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

  @OnRequest(ConsentRequests.registerReferralClient)
  registerReferralClient(request: RegisterReferralClientRequest): Promise<RegisterReferralClientReply> {
    return this.registration.register(request);
  }
}
