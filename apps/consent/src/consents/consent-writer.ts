import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ConsentEvents } from '@nwd/contracts';
import { Outbox } from '@nwd/messaging';
import { insertTogether, RowToInsert, TableRow } from '@nwd/persistence';
import { NewConsent } from './consent.record';
import { API_FIELDS, assertConsentTerms, TermFields } from './consent-terms.check';

/**
 * The one write path of a consent: its terms checked, then its row, its recipients and its
 * `granted` event written as one statement in the caller's transaction (an API call, or a
 * referral's registration, which adds its own rows to the same statement).
 */
@Injectable()
export class ConsentWriter {
  constructor(private readonly outbox: Outbox) {}

  async grant(manager: EntityManager, consent: NewConsent, fields: TermFields = API_FIELDS): Promise<void> {
    await insertTogether(manager, this.rows(consent, fields));
  }

  /** The rows of a new consent (checked first: bad terms throw before anything is written). */
  rows(consent: NewConsent, fields: TermFields = API_FIELDS): RowToInsert[] {
    assertConsentTerms(
      { recipients: consent.recipients, method: consent.method, attestedBy: consent.attestedBy, start: consent.effectiveFrom, end: consent.expiresAt },
      consent.createdAt,
      fields,
    );
    const row: TableRow = {
      table: 'consent',
      values: {
        id: consent.id,
        client_id: consent.clientId,
        grantor_organization_id: consent.grantorOrganizationId,
        purposes: consent.purposes,
        categories: consent.categories,
        method: consent.method,
        attested_by: consent.attestedBy,
        evidence: consent.evidence,
        effective_from: consent.effectiveFrom,
        expires_at: consent.expiresAt,
        referral_id: consent.referralId,
        created_by_client_id: consent.createdByClientId,
        created_at: consent.createdAt,
      },
    };
    const recipients = consent.recipients.map(
      (rule, position): TableRow => ({
        table: 'consent_recipient',
        values: {
          consent_id: consent.id,
          position,
          organization_id: rule.organizationId ?? null,
          any_member: rule.anyMember === true,
          organization_kind: rule.organizationKind ?? null,
        },
      }),
    );
    const granted = this.outbox.row(ConsentEvents.granted, {
      consentId: consent.id,
      clientId: consent.clientId,
      grantorOrganizationId: consent.grantorOrganizationId,
      recipients: consent.recipients.map(({ organizationId, anyMember, organizationKind }) =>
        organizationId ? { organizationId } : anyMember ? { anyMember } : { organizationKind },
      ),
      purposes: consent.purposes,
      categories: consent.categories,
      method: consent.method,
      effectiveFrom: consent.effectiveFrom.toISOString(),
      ...(consent.expiresAt ? { expiresAt: consent.expiresAt.toISOString() } : {}),
      occurredAt: consent.createdAt.toISOString(),
    });
    return [row, ...recipients, granted];
  }
}
