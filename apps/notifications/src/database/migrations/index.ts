import { MessagingTables1763900000000 } from '@nwd/messaging';
import { Webhooks1764600200000 } from './1764600200000-webhooks';

/** Every schema change of this service, in order. */
export const migrations: Function[] = [MessagingTables1763900000000, Webhooks1764600200000];
