import { Module } from '@nestjs/common';
import { ConsentStoreModule } from '../consents/consent-store.module';
import { ConsentConfig } from '../consent.config';
import { DisclosuresModule } from '../disclosures/disclosures.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { ConsentClientVisibility } from './consent-client-visibility';
import { ConsentDecisions } from './consent-decisions';
import { ConsentPolicy } from './consent-policy';
import { ConsentVisibility } from './consent-visibility';
import { DecisionsResponder } from './decisions.responder';
import { DisclosureDesk } from './disclosure-desk';
import { ReferralClientRegistration } from './referral-client-registration';

/** Decisions and disclosures: the policy over the consents on file, answered over NATS. */
@Module({
  imports: [ConsentStoreModule, OrganizationsModule, DisclosuresModule],
  providers: [
    { provide: ConsentPolicy, inject: [ConsentConfig], useFactory: (config: ConsentConfig) => new ConsentPolicy(config.networkPolicy()) },
    ConsentDecisions,
    ConsentVisibility,
    ConsentClientVisibility,
    DisclosureDesk,
    ReferralClientRegistration,
    DecisionsResponder,
  ],
  exports: [ConsentDecisions, ConsentVisibility, ConsentClientVisibility],
})
export class DecisionsModule {}
