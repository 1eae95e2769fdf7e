import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ConsentEvents } from '@nwd/contracts';
import { Outbox } from '@nwd/messaging';
import { NewConsent } from './consent.record';
import { API_FIELDS, assertConsentTerms, TermFields } from './consent-terms.check';
import { ConsentsRepository } from './consents.repository';

/**
 * The one write path of a consent: its terms checked, its rows and its `granted` event in the
 * caller's transaction (an API call, or a referral's registration), so all or none are written.
 */
@Injectable()
export class ConsentWriter {
  constructor(
    private readonly consents: ConsentsRepository,
    private readonly outbox: Outbox,
  ) {}

  async grant(manager: EntityManager, consent: NewConsent, fields: TermFields = API_FIELDS): Promise<void> {
    assertConsentTerms(
      { recipients: consent.recipients, method: consent.method, attestedBy: consent.attestedBy, start: consent.effectiveFrom, end: consent.expiresAt },
      consent.createdAt,
      fields,
    );
    await this.consents.insert(manager, consent);
    await this.outbox.append(manager, ConsentEvents.granted, {
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
  }
}
