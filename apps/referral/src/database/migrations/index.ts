import { MessagingTables1763900000000 } from '@nwd/messaging';
import { Referrals1763900300000 } from './1763900300000-referrals';
import { ReceivingService1763900500000 } from './1763900500000-receiving-service';
import { ClientHandover1764200100000 } from './1764200100000-client-handover';
import { ReferralReminders1764600000000 } from './1764600000000-referral-reminders';

/** Every schema change of this service, in order. */
export const migrations: Function[] = [MessagingTables1763900000000, Referrals1763900300000, ReceivingService1763900500000, ClientHandover1764200100000, ReferralReminders1764600000000];
