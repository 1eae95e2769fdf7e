import { MessagingTables1763900000000 } from '@nwd/messaging';

/** Every schema change of this service, in order. */
export const migrations: Function[] = [MessagingTables1763900000000];
