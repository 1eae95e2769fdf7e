import type { ConsentMethod, ConsentPurpose, ConsentStatus, DataCategory, OrganizationKind } from '@nwd/contracts';
import type { ConsentTerms, RecipientRule } from '../decisions/consent-policy';

/** A consent as stored, with its recipients in the order they were given. */
export interface ConsentRecord extends ConsentTerms {
  clientId: string;
  grantorOrganizationId: string;
  attestedBy: string | null;
  evidence: string | null;
  /** `expired` once the sweep has announced it; a consent past its end decides as expired before that. */
  status: ConsentStatus;
  referralId: string | null;
  createdAt: Date;
}

/** What a new consent holds; ids and times are the writer's. */
export interface NewConsent {
  id: string;
  clientId: string;
  grantorOrganizationId: string;
  recipients: RecipientRule[];
  purposes: ConsentPurpose[];
  categories: DataCategory[];
  method: ConsentMethod;
  attestedBy: string | null;
  evidence: string | null;
  effectiveFrom: Date;
  expiresAt: Date | null;
  referralId: string | null;
  createdByClientId: string;
  createdAt: Date;
}

export type RecipientView = ({ organizationId: string } | { anyMember: true } | { organizationKind: OrganizationKind }) & { revokedAt?: string };

/** The consent as its API shows it. */
export interface ConsentView {
  id: string;
  clientId: string;
  grantorOrganizationId: string;
  recipients: RecipientView[];
  purposes: ConsentPurpose[];
  categories: DataCategory[];
  method: ConsentMethod;
  attestedBy?: string;
  evidence?: string;
  period: { start: string; end?: string };
  status: ConsentStatus;
  revokedAt?: string;
  referralId?: string;
  createdAt: string;
}

/** Active, revoked, or expired — by the clock, not only by what the sweep has announced yet. */
export function statusAt(consent: ConsentRecord, now: Date): ConsentStatus {
  if (consent.revokedAt) return 'revoked';
  if (consent.status === 'expired' || (consent.expiresAt && consent.expiresAt.getTime() <= now.getTime())) return 'expired';
  return 'active';
}

export function viewOf(consent: ConsentRecord, now: Date): ConsentView {
  return {
    id: consent.id,
    clientId: consent.clientId,
    grantorOrganizationId: consent.grantorOrganizationId,
    recipients: consent.recipients.map((rule) => ({
      ...(rule.organizationId ? { organizationId: rule.organizationId } : rule.anyMember ? { anyMember: true as const } : { organizationKind: rule.organizationKind! }),
      ...(rule.revokedAt ? { revokedAt: rule.revokedAt.toISOString() } : {}),
    })),
    purposes: consent.purposes,
    categories: consent.categories,
    method: consent.method,
    ...(consent.attestedBy ? { attestedBy: consent.attestedBy } : {}),
    ...(consent.evidence ? { evidence: consent.evidence } : {}),
    period: { start: consent.effectiveFrom.toISOString(), ...(consent.expiresAt ? { end: consent.expiresAt.toISOString() } : {}) },
    status: statusAt(consent, now),
    ...(consent.revokedAt ? { revokedAt: consent.revokedAt.toISOString() } : {}),
    ...(consent.referralId ? { referralId: consent.referralId } : {}),
    createdAt: consent.createdAt.toISOString(),
  };
}
