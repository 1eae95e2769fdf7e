import type { ConsentMethod } from '@nwd/contracts';
import { DomainError, FieldProblem } from '@nwd/errors';
import type { RecipientRule } from '../decisions/consent-policy';

export interface ProposedTerms {
  recipients: RecipientRule[];
  method: ConsentMethod;
  attestedBy?: string | null;
  start: Date;
  end: Date | null;
}

/**
 * The rules a consent's terms keep beyond their DTO's types: each recipient in exactly one form,
 * a verbal consent names who heard it, and the period runs forward and has not already ended.
 * `prefix` names the fields as the caller sent them (`consent.` inside a referral).
 */
export function consentTermsProblems(terms: ProposedTerms, now: Date, prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  terms.recipients.forEach((rule, i) => {
    const forms = [rule.organizationId !== undefined, rule.anyMember !== undefined, rule.organizationKind !== undefined].filter(Boolean).length;
    if (forms !== 1) problems.push({ field: `${prefix}recipients.${i}`, messages: ['a recipient is exactly one of organizationId, anyMember, organizationKind'] });
    else if (rule.anyMember === false) problems.push({ field: `${prefix}recipients.${i}.anyMember`, messages: ['anyMember must be true when given'] });
  });
  if (terms.method === 'verbal-attested' && !terms.attestedBy?.trim()) {
    problems.push({ field: `${prefix}attestedBy`, messages: ['attestedBy (the staff member who heard the consent) is required for verbal-attested'] });
  }
  if (terms.end && terms.end.getTime() <= terms.start.getTime()) {
    problems.push({ field: prefix ? `${prefix}expiresAt` : 'period.end', messages: ['the end must be after the start'] });
  } else if (terms.end && terms.end.getTime() <= now.getTime()) {
    problems.push({ field: prefix ? `${prefix}expiresAt` : 'period.end', messages: ['the end must be in the future'] });
  }
  return problems;
}

export function assertConsentTerms(terms: ProposedTerms, now: Date, prefix = ''): void {
  const problems = consentTermsProblems(terms, now, prefix);
  if (problems.length) throw DomainError.invalid('request.validation-failed', `Invalid ${problems.map((p) => p.field).join(', ')}`, problems);
}
