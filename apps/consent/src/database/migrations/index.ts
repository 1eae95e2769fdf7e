import { MessagingTables1763900000000 } from '@nwd/messaging';
import { ClientRegister1764200000000 } from './1764200000000-client-register';
import { Consents1764200100000 } from './1764200100000-consents';
import { DisclosureAccounting1764300000000 } from './1764300000000-disclosure-accounting';
import { ClientSearch1764300100000 } from './1764300100000-client-search';
import { DisclosureChains1764300200000 } from './1764300200000-disclosure-chains';
import { DisclosureAppend1764400000000 } from './1764400000000-disclosure-append';

/** Every schema change of this service, in order. */
export const migrations: Function[] = [
  MessagingTables1763900000000,
  ClientRegister1764200000000,
  Consents1764200100000,
  DisclosureAccounting1764300000000,
  ClientSearch1764300100000,
  DisclosureChains1764300200000,
  DisclosureAppend1764400000000,
];
