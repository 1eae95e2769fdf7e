/**
 * The consent vocabulary every service decides with. A data category names what a disclosure
 * carries; free text (descriptions, shared notes) always counts as `notes`.
 */
export const CONSENT_PURPOSES = ['referral', 'care-coordination'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const DATA_CATEGORIES = [
  'contact',
  'demographics',
  'needs-and-screening',
  'notes',
  'behavioral-health',
  'substance-use',
  'domestic-violence',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** Categories no default policy releases: each needs a consent that names it. */
export const SENSITIVE_DATA_CATEGORIES = ['behavioral-health', 'substance-use', 'domestic-violence'] as const satisfies readonly DataCategory[];

/** How the person gave consent; `verbal-attested` needs the staff member who heard it. */
export const CONSENT_METHODS = ['written', 'electronic-signature', 'verbal-attested'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/**
 * Programs under stronger federal rules, set on the directory's organization by network admins:
 * `domestic-violence` (VAWA confidentiality), `substance-use` (42 CFR Part 2).
 */
export const ORGANIZATION_PROTECTIONS = ['domestic-violence', 'substance-use'] as const;
export type OrganizationProtection = (typeof ORGANIZATION_PROTECTIONS)[number];

export const CONSENT_STATUSES = ['active', 'revoked', 'expired'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** Why a category was withheld from a recipient: what a reader is shown beside the withheld field. */
export const WITHHOLDING_REASONS = [
  /** No consent on file covers this recipient, purpose and category, and network policy does not release it. */
  'no-consent',
  /** The consent that covered it was revoked (entirely, or for this recipient). */
  'consent-revoked',
  /** The consent that covered it has expired. */
  'consent-expired',
  /** A domestic-violence program is party: only a written or e-signed, time-limited consent naming the recipient will do. */
  'domestic-violence-protection',
  /** Records of a substance-use program: only a consent naming the recipient will do, and never through a forward. */
  'substance-use-protection',
  /** The consent service could not be asked: nothing is shown that it alone may release (fail closed). */
  'consent-unavailable',
] as const;
export type WithholdingReason = (typeof WITHHOLDING_REASONS)[number];

/** Where a disclosure happened: what the accounting of disclosures records as the channel. */
export const DISCLOSURE_CHANNELS = ['referral-read', 'referral-list', 'forward', 'delivery', 'export', 'client-read', 'client-search', 'fhir-read'] as const;
export type DisclosureChannel = (typeof DISCLOSURE_CHANNELS)[number];

/** Federal text every Part 2 disclosure carries (42 CFR § 2.32, the short form the rule allows). */
export const PART2_REDISCLOSURE_NOTICE =
  '42 CFR part 2 prohibits unauthorized use or disclosure of these records.';

/**
 * Self-reported race (OMB minimum categories, CDC Race & Ethnicity code system 2.16.840.1.113883.6.238),
 * plus the two answers a person may give instead. Never required to get help.
 */
export const RACE_CATEGORIES = {
  '1002-5': 'American Indian or Alaska Native',
  '2028-9': 'Asian',
  '2054-5': 'Black or African American',
  '2076-8': 'Native Hawaiian or Other Pacific Islander',
  '2106-3': 'White',
  'asked-but-unknown': 'Asked but unknown',
  'declined': 'Declined to answer',
} as const;
export type RaceCategory = keyof typeof RACE_CATEGORIES;

export const ETHNICITY_CATEGORIES = {
  '2135-2': 'Hispanic or Latino',
  '2186-5': 'Not Hispanic or Latino',
  'asked-but-unknown': 'Asked but unknown',
  'declined': 'Declined to answer',
} as const;
export type EthnicityCategory = keyof typeof ETHNICITY_CATEGORIES;

/** Administrative sex as US Core records it; gender identity is free of this list (SNOMED codes or text). */
export const SEX_CODES = ['female', 'male', 'other', 'unknown'] as const;
export type SexCode = (typeof SEX_CODES)[number];

/**
 * Categories that identify the person (everything but the needs): what VAWA keeps away from a
 * domestic-violence program, and what a de-identified referral never carries.
 */
export const IDENTIFYING_DATA_CATEGORIES = [
  'contact',
  'demographics',
  'notes',
  'behavioral-health',
  'substance-use',
  'domestic-violence',
] as const satisfies readonly DataCategory[];

/**
 * Which register fields each category releases: a disclosure carries a field only when its
 * category is allowed. `doNotContact` travels with the contact details it qualifies.
 */
export const CLIENT_FIELDS_BY_CATEGORY = {
  contact: ['phone', 'email', 'postalCode', 'preferredLanguage', 'interpreterNeeded', 'contactPreference', 'doNotContact'],
  demographics: ['givenName', 'familyName', 'birthDate', 'race', 'ethnicity', 'sex', 'genderIdentity'],
} as const satisfies Partial<Record<DataCategory, readonly string[]>>;
