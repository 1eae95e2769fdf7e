import { MessagingTables1763900000000 } from '@nwd/messaging';
import { NetworkIdentity1763900100000 } from './1763900100000-network-identity';
import { ResourceDirectory1763900200000 } from './1763900200000-resource-directory';
import { SearchDocumentWithoutStatistics1763900400000 } from './1763900400000-search-document-without-statistics';
import { ListingSearchRefreshWithHours1763900600000 } from './1763900600000-listing-search-refresh-with-hours';
import { SearchWords1763900700000 } from './1763900700000-search-words';
import { DropSearchWordTriggerPartialReferenceIndexes1763900800000 } from './1763900800000-drop-search-word-trigger-partial-reference-indexes';
import { HiddenLocationSearchRows1764100000000 } from './1764100000000-hidden-location-search-rows';
import { ApiClientRateLimit1764200000000 } from './1764200000000-api-client-rate-limit';
import { OrganizationProtections1764300000000 } from './1764300000000-organization-protections';

/** Every schema change of this service, in order. */
export const migrations: Function[] = [
  MessagingTables1763900000000,
  NetworkIdentity1763900100000,
  ResourceDirectory1763900200000,
  SearchDocumentWithoutStatistics1763900400000,
  ListingSearchRefreshWithHours1763900600000,
  SearchWords1763900700000,
  DropSearchWordTriggerPartialReferenceIndexes1763900800000,
  HiddenLocationSearchRows1764100000000,
  ApiClientRateLimit1764200000000,
  OrganizationProtections1764300000000,
];
