import type { SdohNeed } from '@nwd/contracts';

/** A taxonomy term as the mapping reads it. */
export interface MappableTerm {
  code?: string | null;
  name: string;
  /** The taxonomy's name (the term's `taxonomy` field or its taxonomy record). */
  taxonomy?: string | null;
}

/**
 * Open Eligibility codes → SDOH need domains. The most specific prefix wins, so `103-01` (emergency
 * shelter) says homelessness although `103` (housing) says housing instability.
 */
const OPEN_ELIGIBILITY: [prefix: string, domains: SdohNeed[]][] = [
  ['101-02-01', ['food-insecurity', 'financial-insecurity']],
  ['101-02-02', ['medical-cost-burden', 'financial-insecurity']],
  ['101-02-03', ['housing-instability', 'financial-insecurity']],
  ['101-02-04', ['transportation-insecurity', 'financial-insecurity']],
  ['101-02-06', ['utility-insecurity', 'financial-insecurity']],
  ['101-02', ['financial-insecurity']],
  ['101-03', ['food-insecurity']],
  ['101-04', ['homelessness']],
  ['101-06', ['intimate-partner-violence']],
  ['101-07', ['stress']],
  ['102', ['food-insecurity']],
  ['103-01', ['homelessness']],
  ['103-03-02', ['utility-insecurity']],
  ['103-03-05', ['inadequate-housing']],
  ['103-05-03', ['intimate-partner-violence', 'homelessness']],
  ['103', ['housing-instability']],
  ['104-05-02', ['digital-access']],
  ['104-05-03', ['digital-access']],
  ['104', ['material-hardship']],
  ['105', ['transportation-insecurity']],
  ['106-04-08', ['stress']],
  ['106-04', ['personal-health-literacy']],
  ['106-05-04', ['health-insurance-coverage-status']],
  ['106-05-07', ['transportation-insecurity']],
  ['106-05', ['medical-cost-burden']],
  ['106-06-07-01', ['stress']],
  ['106-06-08', ['stress']],
  ['107-02-01', ['financial-insecurity']],
  ['107-02-02', ['food-insecurity', 'financial-insecurity']],
  ['107-02-03-04', ['health-insurance-coverage-status']],
  ['107-02-03', ['medical-cost-burden']],
  ['107-02-04-02', ['utility-insecurity']],
  ['107-02-04-05', ['inadequate-housing']],
  ['107-02-04', ['housing-instability', 'financial-insecurity']],
  ['107-02-06', ['transportation-insecurity']],
  ['107-03-02', ['food-insecurity']],
  ['107-06-01', ['health-insurance-coverage-status']],
  ['107', ['financial-insecurity']],
  ['108-05-03', ['housing-instability']],
  ['108-05-05', ['employment-status']],
  ['108-07', ['social-connection', 'stress']],
  ['109-03-03', ['language-access', 'educational-attainment']],
  ['109-05-03', ['language-access', 'educational-attainment']],
  ['109-06-02', ['digital-literacy']],
  ['109-07', ['digital-literacy']],
  ['109', ['educational-attainment']],
  ['110-03-02', ['digital-literacy', 'employment-status']],
  ['110', ['employment-status']],
  ['111-05', ['language-access']],
];

/** Words in a term's name (any taxonomy: AIRS-style keywords, local labels) → need domains. */
const NAME_RULES: [pattern: RegExp, domains: SdohNeed[]][] = [
  [/\b(food|meals?|pantry|pantries|nutrition|groceries|calfresh|snap|wic)\b/i, ['food-insecurity']],
  [/\b(homeless|shelters?|refuge)\b/i, ['homelessness']],
  [/\b(housing|rent(al)?|tenant|eviction|landlord)\b/i, ['housing-instability']],
  [/\b(home repairs?|weatheri[sz]ation|housing conditions)\b/i, ['inadequate-housing']],
  [/\b(domestic violence|intimate partner|battered|dating violence|sexual assault)\b/i, ['intimate-partner-violence']],
  [/\b(elder abuse|adult protective)\b/i, ['elder-abuse']],
  [/\b(transportation|transit|bus pass(es)?|paratransit|rides?)\b/i, ['transportation-insecurity']],
  [/\b(utilit(y|ies)|energy assistance|liheap)\b/i, ['utility-insecurity']],
  [/\b(employment|jobs?|job training|vocational|career)\b/i, ['employment-status']],
  [/\b(veterans?)\b/i, ['veteran-status']],
  [/\b(health insurance|medi-cal|medicaid|medicare|obamacare|covered california)\b/i, ['health-insurance-coverage-status']],
  [/\b(interpretation|translation|interpreters?)\b/i, ['language-access']],
  [/\b(internet|broadband|computer access)\b/i, ['digital-access']],
  [/\b(computer (class|training)|digital literacy)\b/i, ['digital-literacy']],
  [/\b(ex-offenders?|re-?entry|incarcerat\w*|probation|parole)\b/i, ['incarceration-status']],
  [/\b(mental health|counseling|crisis|stress|bereavement)\b/i, ['stress']],
  [/\b(social isolation|friendly visit\w*|companionship|senior centers?)\b/i, ['social-connection']],
  [/\b(financial assistance|emergency cash|cash assistance|tax preparation|financial counseling)\b/i, ['financial-insecurity']],
  [/\b(clothing|furniture|diapers?|household goods)\b/i, ['material-hardship']],
  [/\b(ged|adult education|literacy|tutoring|high school equivalency)\b/i, ['educational-attainment']],
];

/**
 * Which SDOH need domains a taxonomy term serves, so a listing is found by the needs referrals carry.
 * Rules are a starting point; a network admin's manual mapping replaces them for a term.
 */
export function needDomainsFor(term: MappableTerm): SdohNeed[] {
  const domains = new Set<SdohNeed>();
  const openEligibility = /open eligibility/i.test(term.taxonomy ?? '') || /^1\d\d(-\d\d)*$/.test(term.code ?? '');
  if (openEligibility && term.code) {
    const rule = OPEN_ELIGIBILITY.filter(([prefix]) => term.code === prefix || term.code!.startsWith(`${prefix}-`)).sort(
      (a, b) => b[0].length - a[0].length,
    )[0];
    for (const domain of rule?.[1] ?? []) domains.add(domain);
  }
  for (const [pattern, mapped] of NAME_RULES) if (pattern.test(term.name)) for (const domain of mapped) domains.add(domain);
  return [...domains].sort();
}
