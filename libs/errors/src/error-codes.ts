import type { ErrorKind } from './error-kind';

/**
 * Every stable code a problem document or a failed reply may carry, declared once per owner.
 * Partners switch on these, so a code is renamed never, only added: the catalog below gives each
 * its kind (hence its HTTP status and its retry policy) and a human title.
 */

/** Codes of the shared platform: request checks, authentication, the edge and messaging. */
export const PLATFORM_ERROR_CODES = [
  'request.validation-failed',
  'request.invalid',
  'route.not-found',
  'rate-limit.exceeded',
  'auth.unauthenticated',
  'auth.forbidden',
  'auth.role-required',
  'auth.token-expired',
  'auth.token-invalid',
  'auth.token-not-yet-valid',
  'auth.token-malformed',
  'auth.token-claims',
  'auth.unknown-signing-key',
  'auth.client-revoked',
  'auth.client-rotated',
  'auth.organization-suspended',
  'metrics.token-required',
  'messaging.no-responders',
  'messaging.timeout',
  'messaging.unavailable',
  'messaging.bad-reply',
  'messaging.responder-failed',
  'messaging.contract-violation',
] as const;

export const DIRECTORY_ERROR_CODES = [
  'oauth.invalid-request',
  'oauth.unsupported-grant-type',
  'oauth.invalid-client',
  'oauth.too-many-failures',
  'oauth.busy',
  'directory.organization-not-found',
  'directory.organization-update-forbidden',
  'directory.organization-suspended',
  'directory.client-not-found',
  'directory.client-revoked',
  'directory.clients-forbidden',
  'directory.role-not-grantable',
  'directory.service-not-found',
  'directory.location-not-found',
  'directory.listing-not-maintainer',
  'directory.confidentiality-lift-forbidden',
  'directory.hsds-organization-not-found',
  'directory.service-at-location-not-found',
  'directory.taxonomy-not-found',
  'directory.taxonomy-term-not-found',
  'directory.import-refused',
  'directory.export-file-not-found',
] as const;

export const REFERRAL_ERROR_CODES = [
  'idempotency.key-reused',
  'referral.not-found',
  'referral.not-a-party',
  'referral.wrong-party',
  'referral.version-conflict',
  'referral.illegal-transition',
  'referral.final',
  'referral.not-active',
  'referral.closed',
  'referral.organization-not-active',
  'referral.service-inactive',
  'referral.service-not-accepting',
  'referral.unreachable-closure-unmet',
  'referral.standard-not-breached',
] as const;

export const CONSENT_ERROR_CODES = [
  'consent.client-not-found',
  'consent.client-merge-forbidden',
  'consent.client-already-merged',
  'consent.not-found',
  'consent.revoke-forbidden',
  'consent-required',
] as const;

export const NOTIFICATIONS_ERROR_CODES = [
  'notifications.nats-credential-not-found',
  'notifications.nats-credential-revoked',
  'notifications.nats-credential-rotated',
  'notifications.partner-nats-unavailable',
  'notifications.subscription-not-found',
  'notifications.notification-not-found',
  'notifications.webhook-not-found',
  'notifications.webhook-delivery-not-found',
] as const;
// The reporting service raises no error of its own yet.
export const REPORTING_ERROR_CODES = [] as const;

export type PlatformErrorCode = (typeof PLATFORM_ERROR_CODES)[number];
export type DirectoryErrorCode = (typeof DIRECTORY_ERROR_CODES)[number];
export type ReferralErrorCode = (typeof REFERRAL_ERROR_CODES)[number];
export type ConsentErrorCode = (typeof CONSENT_ERROR_CODES)[number];
export type NotificationsErrorCode = (typeof NOTIFICATIONS_ERROR_CODES)[number];
export type ReportingErrorCode = (typeof REPORTING_ERROR_CODES)[number];

export type ErrorCode =
  | PlatformErrorCode
  | DirectoryErrorCode
  | ReferralErrorCode
  | ConsentErrorCode
  | NotificationsErrorCode
  | ReportingErrorCode;

/** Every code, for whoever enumerates them (the OpenAPI problem schema, the catalog's own test). */
export const ERROR_CODES: readonly ErrorCode[] = [
  ...PLATFORM_ERROR_CODES,
  ...DIRECTORY_ERROR_CODES,
  ...REFERRAL_ERROR_CODES,
  ...CONSENT_ERROR_CODES,
  ...NOTIFICATIONS_ERROR_CODES,
  ...REPORTING_ERROR_CODES,
];

export interface ErrorCodeEntry {
  readonly kind: ErrorKind;
  readonly title: string;
}

/**
 * Each code's kind and title. `satisfies` makes it exhaustive both ways: a listed code without an
 * entry, or an entry for no listed code, does not compile. The literal kinds it keeps are what
 * `CodeOfKind` reads, so `DomainError.notFound('referral.final', …)` does not compile either.
 */
export const ERROR_CATALOG = {
  'request.validation-failed': { kind: 'invalid', title: 'A field of the request is invalid' },
  'request.invalid': { kind: 'invalid', title: 'The request cannot be read' },
  'route.not-found': { kind: 'not-found', title: 'No such route' },
  'rate-limit.exceeded': { kind: 'rate-limited', title: 'Too many requests' },
  'auth.unauthenticated': { kind: 'unauthenticated', title: 'A bearer access token is required' },
  'auth.forbidden': { kind: 'forbidden', title: 'Not allowed' },
  'auth.role-required': { kind: 'forbidden', title: 'The caller lacks a required role' },
  'auth.token-expired': { kind: 'unauthenticated', title: 'The access token has expired' },
  'auth.token-invalid': { kind: 'unauthenticated', title: 'The access token is invalid' },
  'auth.token-not-yet-valid': { kind: 'unauthenticated', title: 'The access token is not valid yet' },
  'auth.token-malformed': { kind: 'unauthenticated', title: 'The access token is not a JWT' },
  'auth.token-claims': { kind: 'unauthenticated', title: 'The access token lacks required claims' },
  'auth.unknown-signing-key': { kind: 'unauthenticated', title: 'The access token was not signed by this network' },
  'auth.client-revoked': { kind: 'unauthenticated', title: 'The API client was revoked' },
  'auth.client-rotated': { kind: 'unauthenticated', title: 'The API client secret was rotated' },
  'auth.organization-suspended': { kind: 'unauthenticated', title: 'The organization is suspended' },
  'metrics.token-required': { kind: 'unauthenticated', title: 'The metrics bearer token is required' },
  'messaging.no-responders': { kind: 'unavailable', title: 'No service answers the request' },
  'messaging.timeout': { kind: 'unavailable', title: 'The request was not answered in time' },
  'messaging.unavailable': { kind: 'unavailable', title: 'The message bus is unavailable' },
  'messaging.bad-reply': { kind: 'unavailable', title: 'The reply could not be read' },
  'messaging.responder-failed': { kind: 'unavailable', title: 'The answering service failed' },
  'messaging.contract-violation': { kind: 'invalid', title: 'The message violates its contract' },

  'oauth.invalid-request': { kind: 'invalid', title: 'The token request is malformed' },
  'oauth.unsupported-grant-type': { kind: 'invalid', title: 'The grant type is not supported' },
  'oauth.invalid-client': { kind: 'unauthenticated', title: 'Client authentication failed' },
  'oauth.too-many-failures': { kind: 'rate-limited', title: 'Too many failed secrets for this client' },
  'oauth.busy': { kind: 'rate-limited', title: 'The token endpoint is busy' },
  'directory.organization-not-found': { kind: 'not-found', title: 'No such organization in the network' },
  'directory.organization-update-forbidden': { kind: 'forbidden', title: 'The caller may not make this change to the organization' },
  'directory.organization-suspended': { kind: 'unprocessable', title: 'The organization is suspended' },
  'directory.client-not-found': { kind: 'not-found', title: 'No such API client' },
  'directory.client-revoked': { kind: 'conflict', title: 'The API client is revoked' },
  'directory.clients-forbidden': { kind: 'forbidden', title: 'The caller may not manage these API clients' },
  'directory.role-not-grantable': { kind: 'forbidden', title: 'The caller may not grant this role' },
  'directory.service-not-found': { kind: 'not-found', title: 'No such service in the directory' },
  'directory.location-not-found': { kind: 'not-found', title: 'No such location in the directory' },
  'directory.listing-not-maintainer': { kind: 'forbidden', title: 'Only the maintaining organization may edit the listing' },
  'directory.confidentiality-lift-forbidden': { kind: 'forbidden', title: 'The caller may not make a confidential listing public' },
  'directory.hsds-organization-not-found': { kind: 'not-found', title: 'No such organization in the directory' },
  'directory.service-at-location-not-found': { kind: 'not-found', title: 'No such service at location' },
  'directory.taxonomy-not-found': { kind: 'not-found', title: 'No such taxonomy' },
  'directory.taxonomy-term-not-found': { kind: 'not-found', title: 'No such taxonomy term' },
  'directory.import-refused': { kind: 'unprocessable', title: 'The import was refused; nothing was changed' },
  'directory.export-file-not-found': { kind: 'not-found', title: 'No such HSDS export file' },

  'idempotency.key-reused': { kind: 'unprocessable', title: 'The Idempotency-Key was used for a different request' },
  'referral.not-found': { kind: 'not-found', title: 'No such referral visible to the caller' },
  'referral.not-a-party': { kind: 'forbidden', title: 'The caller is not a party to the referral' },
  'referral.wrong-party': { kind: 'forbidden', title: 'The other party acts on this' },
  'referral.version-conflict': { kind: 'conflict', title: 'The referral changed since it was read' },
  'referral.illegal-transition': { kind: 'conflict', title: 'The referral cannot move to that status' },
  'referral.final': { kind: 'conflict', title: 'The referral is closed' },
  'referral.not-active': { kind: 'conflict', title: 'The referral is not an accepted case' },
  'referral.closed': { kind: 'unprocessable', title: 'The referral has no open standard' },
  'referral.organization-not-active': { kind: 'unprocessable', title: 'The receiving organization cannot receive referrals' },
  'referral.service-inactive': { kind: 'unprocessable', title: 'The receiving service is not active' },
  'referral.service-not-accepting': { kind: 'unprocessable', title: 'The receiving service is not accepting referrals' },
  'referral.unreachable-closure-unmet': { kind: 'unprocessable', title: 'Not enough contact attempts to close as unreachable' },
  'referral.standard-not-breached': { kind: 'unprocessable', title: 'The standard is not overdue' },
  'consent.client-not-found': { kind: 'not-found', title: 'No such client visible to the caller' },
  'consent.client-merge-forbidden': { kind: 'forbidden', title: "Only the registering organization's org-admin may merge its clients" },
  'consent.client-already-merged': { kind: 'conflict', title: 'The client was merged into another' },
  'consent.not-found': { kind: 'not-found', title: 'No such consent visible to the caller' },
  'consent.revoke-forbidden': { kind: 'forbidden', title: 'Only the organization that recorded the consent or registered the client may revoke it' },
  'consent-required': { kind: 'unprocessable', title: 'No consent on file permits the personal data this carries' },
  'notifications.nats-credential-not-found': { kind: 'not-found', title: 'The organization has no such NATS credential' },
  'notifications.nats-credential-revoked': { kind: 'conflict', title: 'The NATS credential is revoked' },
  'notifications.nats-credential-rotated': { kind: 'conflict', title: 'The NATS credential was already rotated' },
  'notifications.partner-nats-unavailable': { kind: 'unavailable', title: 'Partner NATS credentials are not configured on this network' },
  'notifications.subscription-not-found': { kind: 'not-found', title: 'No such subscription of the caller' },
  'notifications.notification-not-found': { kind: 'not-found', title: 'No such notification in the caller’s inbox' },
  'notifications.webhook-not-found': { kind: 'not-found', title: "No such webhook endpoint in the caller's organization" },
  'notifications.webhook-delivery-not-found': { kind: 'not-found', title: 'No such delivery to this webhook endpoint' },
} as const satisfies Record<ErrorCode, ErrorCodeEntry>;

type Catalog = typeof ERROR_CATALOG;

/** The codes of one kind: what each DomainError constructor accepts. */
export type CodeOfKind<K extends ErrorKind> = { [C in ErrorCode]: Catalog[C]['kind'] extends K ? C : never }[ErrorCode];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CATALOG, value);
}

export function kindOf(code: ErrorCode): ErrorKind {
  return ERROR_CATALOG[code].kind;
}
