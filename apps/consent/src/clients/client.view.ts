import type { Client } from './client.entity';
import type { ClientMatch } from './clients.repository';
import type { VisibleClient } from './client-visibility';

/** A registration as its own organization sees it: everything, with the possible duplicates flagged. */
export function ownClientView(client: Client, possibleDuplicates?: ClientMatch[]) {
  return {
    id: client.id,
    givenName: client.givenName,
    familyName: client.familyName,
    birthDate: client.birthDate,
    phone: client.phone,
    email: client.email,
    postalCode: client.postalCode,
    preferredLanguage: client.preferredLanguage,
    interpreterNeeded: client.interpreterNeeded,
    contactPreference: client.contactPreference,
    doNotContact: client.doNotContact,
    race: client.race,
    ethnicity: client.ethnicity,
    sex: client.sex,
    genderIdentity: client.genderIdentity,
    registeredByOrganizationId: client.createdByOrganizationId,
    createdAt: client.createdAt.toISOString(),
    updatedAt: client.updatedAt.toISOString(),
    ...(possibleDuplicates ? { possibleDuplicates: possibleDuplicates.map((m) => ({ id: m.client.id, score: m.score })) } : {}),
  };
}

/** Another organization's registration: only what the decision allowed, and what was withheld and why. */
export function disclosedClientView(visible: VisibleClient) {
  return {
    ...visible.client,
    withheld: visible.withheld,
    ...(visible.redisclosureNotice ? { redisclosureNotice: visible.redisclosureNotice } : {}),
  };
}
