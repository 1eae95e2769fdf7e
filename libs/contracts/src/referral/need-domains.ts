/**
 * SDOH need domains: the codes of the Gravity SDOH Clinical Care category value set (SDOHCC ValueSet SDOH
 * Category). Referrals carry them as needs; directory listings are found by them through their taxonomy terms.
 */
export const SDOH_NEED_DOMAINS = [
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
export type SdohNeedDomain = (typeof SDOH_NEED_DOMAINS)[number];
