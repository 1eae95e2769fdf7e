import { Module } from '@nestjs/common';
import { AudienceModule } from '../audience/audience.module';
import { PartnerFeedPublisher } from './partner-feed.publisher';

/** Each organization's NATS feed (stream PARTNER, `partner.<organizationId>.>`). */
@Module({
  imports: [AudienceModule],
  providers: [PartnerFeedPublisher],
})
export class PartnerFeedsModule {}
