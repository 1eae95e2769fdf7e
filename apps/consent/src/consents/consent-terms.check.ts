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

/** What the caller called the checked fields, so a problem names what it sent. */
export interface TermFields {
  clientId: string;
  recipients: string;
  attestedBy: string;
  end: string;
}

export const API_FIELDS: TermFields = { clientId: 'clientId', recipients: 'recipients', attestedBy: 'attestedBy', end: 'period.end' };
export const INLINE_FIELDS: TermFields = { clientId: 'clientId', recipients: 'consent.recipients', attestedBy: 'consent.attestedBy', end: 'consent.expiresAt' };
export const FHIR_FIELDS: TermFields = { clientId: 'Consent.patient', recipients: 'Consent.provision.actor', attestedBy: 'Consent.extension', end: 'Consent.provision.period.end' };

/**
 * The rules a consent's terms keep beyond their DTO's types: each recipient in exactly one form,
 * a verbal consent names who heard it, and the period runs forward and has not already ended.
 */
export function consentTermsProblems(terms: ProposedTerms, now: Date, fields: TermFields = API_FIELDS): FieldProblem[] {
  const problems: FieldProblem[] = [];
  terms.recipients.forEach((rule, i) => {
    const forms = [rule.organizationId !== undefined, rule.anyMember !== undefined, rule.organizationKind !== undefined].filter(Boolean).length;
    if (forms !== 1) problems.push({ field: `${fields.recipients}.${i}`, messages: ['a recipient is exactly one of organizationId, anyMember, organizationKind'] });
    else if (rule.anyMember === false) problems.push({ field: `${fields.recipients}.${i}.anyMember`, messages: ['anyMember must be true when given'] });
  });
  if (terms.method === 'verbal-attested' && !terms.attestedBy?.trim()) {
    problems.push({ field: fields.attestedBy, messages: ['attestedBy (the staff member who heard the consent) is required for verbal-attested'] });
  }
  if (terms.end && terms.end.getTime() <= terms.start.getTime()) {
    problems.push({ field: fields.end, messages: ['the end must be after the start'] });
  } else if (terms.end && terms.end.getTime() <= now.getTime()) {
    problems.push({ field: fields.end, messages: ['the end must be in the future'] });
  }
  return problems;
}

export function assertConsentTerms(terms: ProposedTerms, now: Date, fields: TermFields = API_FIELDS): void {
  const problems = consentTermsProblems(terms, now, fields);
  if (problems.length) throw DomainError.invalid('request.validation-failed', `Invalid ${problems.map((p) => p.field).join(', ')}`, problems);
}
