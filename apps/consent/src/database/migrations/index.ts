import { MessagingTables1763900000000 } from '@nwd/messaging';
import { ClientRegister1764200000000 } from './1764200000000-client-register';

/** Every schema change of this service, in order. */
export const migrations: Function[] = [MessagingTables1763900000000, ClientRegister1764200000000];
