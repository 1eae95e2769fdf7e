/**
 * The referral's vocabulary, shared by the referral service, its consumers and the FHIR facade.
 * Statuses are the FHIR Task statuses the Gravity SDOH Clinical Care IG uses, so they map one to one.
 */
export const REFERRAL_STATUSES = [
  'requested',
  'accepted',
  'rejected',
  'cancelled',
  'in-progress',
  'on-hold',
  'completed',
  'failed',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** Statuses a referral never leaves. */
export const FINAL_REFERRAL_STATUSES = ['rejected', 'cancelled', 'completed', 'failed'] as const satisfies readonly ReferralStatus[];

/** Codes of the Gravity SDOH Clinical Care category value set (SDOHCC ValueSet SDOH Category). */
export const SDOH_NEEDS = [
  'food-insecurity',
  'housing-instability',
  'homelessness',
  'inadequate-housing',
  'transportation-insecurity',
  'financial-insecurity',
  'material-hardship',
  'educational-attainment',
  'employment-status',
  'veteran-status',
  'stress',
  'social-connection',
  'intimate-partner-violence',
  'elder-abuse',
  'personal-health-literacy',
  'health-insurance-coverage-status',
  'medical-cost-burden',
  'digital-literacy',
  'digital-access',
  'utility-insecurity',
  'incarceration-status',
  'language-access',
  'sdoh-category-unspecified',
] as const;
export type SdohNeed = (typeof SDOH_NEEDS)[number];

/** Why the loop closed: required when a referral ends `completed` or `failed`. */
export const REFERRAL_OUTCOMES = [
  'service-provided',
  'client-enrolled',
  'client-unreachable',
  'client-declined',
  'not-eligible',
  'no-capacity',
  'duplicate',
  'other',
] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

export const REFERRAL_URGENCIES = ['routine', 'urgent'] as const;
export type ReferralUrgency = (typeof REFERRAL_URGENCIES)[number];

export const CONTACT_CHANNELS = ['phone', 'sms', 'email', 'in-person', 'mail'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const CONTACT_RESULTS = ['reached', 'no-answer', 'left-message', 'wrong-number', 'other'] as const;
export type ContactResult = (typeof CONTACT_RESULTS)[number];

/** `shared` notes are seen by both organizations (and the forward chain); `internal` ones only by the author's. */
export const NOTE_VISIBILITIES = ['shared', 'internal'] as const;
export type NoteVisibility = (typeof NOTE_VISIBILITIES)[number];

export const CONTACT_PREFERENCES = ['phone', 'sms', 'email', 'mail', 'in-person', 'through-referrer'] as const;
export type ContactPreference = (typeof CONTACT_PREFERENCES)[number];

/** The platform standards a referral is measured against; an exception note names one of them. */
export const PLATFORM_STANDARDS = ['respond', 'first-note', 'close', 'note-cadence', 'unreachable-closure'] as const;
export type PlatformStandard = (typeof PLATFORM_STANDARDS)[number];
