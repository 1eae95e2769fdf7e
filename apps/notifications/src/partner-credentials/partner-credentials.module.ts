import { Module } from '@nestjs/common';
import { PartnerCredentialsRevocationSync } from './partner-credentials-revocation.sync';
import { PartnerCredentialsController } from './partner-credentials.controller';
import { PartnerCredentialsRepository } from './partner-credentials.repository';
import { PartnerCredentialsService } from './partner-credentials.service';
import { PartnerNats } from './partner-nats';
import { PartnerPushConsumerSweep } from './partner-push-consumer.sweep';

/** Partner organizations' own NATS credentials for their feeds: issue, rotate, revoke; and no push consumers on their feeds. */
@Module({
  controllers: [PartnerCredentialsController],
  providers: [PartnerCredentialsRepository, PartnerCredentialsService, PartnerCredentialsRevocationSync, PartnerNats, PartnerPushConsumerSweep],
})
export class PartnerCredentialsModule {}
