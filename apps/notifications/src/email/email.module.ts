import { Module } from '@nestjs/common';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { DigestAssembler } from './digest-assembler';
import { DigestItemsRepository } from './digest-items.repository';
import { MailDispatcher } from './mail-dispatcher';
import { MailTransport } from './mail-transport';
import { OutgoingMailRepository } from './outgoing-mail.repository';
import { ReferralLink } from './referral-link';

/** Mail: the persisted outgoing queue, its sender over SMTP, and the daily digests. */
@Module({
  imports: [SubscriptionsModule],
  providers: [OutgoingMailRepository, DigestItemsRepository, MailTransport, MailDispatcher, DigestAssembler, ReferralLink],
  exports: [OutgoingMailRepository, DigestItemsRepository, ReferralLink, MailDispatcher, DigestAssembler],
})
export class EmailModule {}
