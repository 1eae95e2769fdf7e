import type { ClientDetails } from '@nwd/contracts';
import type { NewClient } from './clients.repository';

/** A registration from a person's details, as given: what was not said is empty, never guessed. */
export function newClient(id: string, createdByOrganizationId: string, details: ClientDetails, createdAt: Date): NewClient {
  return {
    id,
    createdByOrganizationId,
    givenName: details.givenName,
    familyName: details.familyName,
    birthDate: details.birthDate,
    phone: details.phone ?? null,
    email: details.email ?? null,
    postalCode: details.postalCode ?? null,
    preferredLanguage: details.preferredLanguage ?? null,
    interpreterNeeded: details.interpreterNeeded ?? false,
    contactPreference: details.contactPreference ?? null,
    doNotContact: details.doNotContact ?? false,
    race: details.race ?? [],
    ethnicity: details.ethnicity ?? [],
    sex: details.sex ?? null,
    genderIdentity: details.genderIdentity ?? null,
    createdAt,
  };
}
