import { Module } from '@nestjs/common';
import { ReferralAudience } from './referral-audience';
import { ReferralPartiesConsumer } from './referral-parties.consumer';
import { ReferralPartyRepository } from './referral-party.repository';

/** Who each referral event is for: import it and inject `ReferralAudience`. */
@Module({
  providers: [ReferralPartyRepository, ReferralAudience, ReferralPartiesConsumer],
  exports: [ReferralAudience],
})
export class AudienceModule {}
