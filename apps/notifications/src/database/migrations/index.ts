import { MessagingTables1763900000000 } from '@nwd/messaging';
import { PartnerNatsCredentials1764500300000 } from './1764500300000-partner-nats-credentials';
import { EmailAndInbox1764500400000 } from './1764500400000-email-and-inbox';
import { ReferralParties1764600100000 } from './1764600100000-referral-parties';
import { Webhooks1764600200000 } from './1764600200000-webhooks';

/** Every schema change of this service, in order. */
export const migrations: Function[] = [MessagingTables1763900000000, PartnerNatsCredentials1764500300000, EmailAndInbox1764500400000, ReferralParties1764600100000, Webhooks1764600200000];
