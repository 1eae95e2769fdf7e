import { v5 as uuidv5 } from 'uuid';

/** Namespace of partner copy ids (a fixed random UUID: changing it would re-deliver every copy under new ids). */
const PARTNER_COPY_NAMESPACE = '0b6f3c52-7a4e-4d1f-9a5c-2e8d6f41b973';

/**
 * The id of an organization's copy of an event: the same for every write of that copy (a
 * redelivery after a crash, a replayed stream), so JetStream drops a re-publish inside its
 * duplicate window and the partner can de-duplicate outside it.
 */
export function partnerCopyId(eventId: string, organizationId: string): string {
  return uuidv5(`${eventId}/${organizationId}`, PARTNER_COPY_NAMESPACE);
}
