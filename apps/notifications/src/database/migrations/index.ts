import { MessagingTables1763900000000 } from '@nwd/messaging';
import { ReferralParties1764600100000 } from './1764600100000-referral-parties';
import { Webhooks1764600200000 } from './1764600200000-webhooks';

/** Every schema change of this service, in order. */
export const migrations: Function[] = [MessagingTables1763900000000, ReferralParties1764600100000, Webhooks1764600200000];
