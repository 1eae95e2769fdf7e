import { createHash } from 'node:crypto';
import type { Coding, Consent as FhirConsent, ConsentProvision } from 'fhir/r4';
import { isISO8601, isUUID } from 'class-validator';
import { CONSENT_METHODS, ConsentMethod, ConsentPurpose, DataCategory, DATA_CATEGORIES, ORGANIZATION_KINDS, OrganizationKind } from '@nwd/contracts';
import { FieldProblem } from '@nwd/errors';
import type { RecipientRule } from '../../decisions/consent-policy';
import { ConsentRecord, statusAt } from '../consent.record';
import type { ConsentTermsInput } from '../consents.service';

/** The SDOH Clinical Care Consent profile (information disclosure, patient privacy). */
export const SDOHCC_CONSENT_PROFILE = 'http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-Consent';
const SCOPE = { system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy', display: 'Privacy Consent' };
const IDSCL = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IDSCL', display: 'information disclosure' };
const HIPAA_AUTH = { system: 'http://terminology.hl7.org/CodeSystem/consentpolicycodes', code: 'hipaa-auth', display: 'HIPAA Authorization' };
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const ACT_CODE = IDSCL.system;
/** Our own code systems, for what FHIR has no code for. */
export const NWD_PURPOSE_SYSTEM = 'https://nowrongdoor.org/fhir/CodeSystem/consent-purpose';
export const NWD_CATEGORY_SYSTEM = 'https://nowrongdoor.org/fhir/CodeSystem/data-category';
export const NWD_RECIPIENT_SYSTEM = 'https://nowrongdoor.org/fhir/CodeSystem/consent-recipient';
export const NWD_METHOD_EXTENSION = 'https://nowrongdoor.org/fhir/StructureDefinition/consent-method';
export const NWD_ATTESTED_BY_EXTENSION = 'https://nowrongdoor.org/fhir/StructureDefinition/consent-attested-by';

/** Sensitive categories as HL7 security labels (v3 ActCode sensitivity codes). */
const SECURITY_LABELS: Partial<Record<DataCategory, string>> = { 'substance-use': 'ETH', 'behavioral-health': 'BH', 'domestic-violence': 'SDV' };
const LABELLED = Object.fromEntries(Object.entries(SECURITY_LABELS).map(([category, code]) => [code, category as DataCategory]));
/** A consent that says nothing about the data covers the everyday categories; sensitive ones must be labelled. */
const UNSPECIFIED_CATEGORIES: DataCategory[] = ['contact', 'demographics', 'needs-and-screening'];

export type ImportResult = { terms: ConsentTermsInput; problems: [] } | { terms?: undefined; problems: FieldProblem[] };

/**
 * Reads an SDOHCC Consent into our terms. Who may receive comes from `provision.actor` (role IRCP,
 * an `Organization/<id>` reference, or our recipient codes; none: any network member), purposes
 * from `provision.purpose`, categories from `provision.class`-free codes (`provision.code`,
 * `provision.securityLabel`), the period from `provision.period` (or `dateTime`), and how it was
 * given from the signed source (`sourceAttachment`/`sourceReference`: written) or our method
 * extension. What has no equivalent — deny provisions, nested provisions, data references, other
 * actor roles — is refused naming the element, rather than imported as something it is not.
 */
export function importSdohccConsent(resource: unknown, clientIdOverride?: string): ImportResult {
  const problems: FieldProblem[] = [];
  const fail = (field: string, message: string) => problems.push({ field: `Consent.${field}`, messages: [message] });
  if (!isObject(resource) || resource.resourceType !== 'Consent') {
    return { problems: [{ field: 'Consent.resourceType', messages: ['must be a FHIR Consent resource'] }] };
  }
  const consent = resource as FhirConsent;
  if (consent.status !== 'active') fail('status', 'only an active consent can be imported');
  if (!hasCoding(consent.scope, SCOPE.system, SCOPE.code)) fail('scope', `must be ${SCOPE.system}|${SCOPE.code}`);
  if (!Array.isArray(consent.category) || !consent.category.some((c) => hasCoding(c, IDSCL.system, IDSCL.code))) fail('category', `must include ${IDSCL.system}|${IDSCL.code}`);

  const reference = isObject(consent.patient) && typeof consent.patient.reference === 'string' ? consent.patient.reference : undefined;
  const patientId = reference?.startsWith('Patient/') ? reference.slice('Patient/'.length) : undefined;
  const clientId = clientIdOverride ?? patientId;
  if (!clientId || !isUUID(clientId)) fail('patient', 'must reference Patient/<client id>, or the import must name ?clientId=');

  const provision: ConsentProvision = isObject(consent.provision) ? consent.provision : {};
  if (consent.provision !== undefined && !isObject(consent.provision)) fail('provision', 'must be an object');
  if (provision.type !== undefined && provision.type !== 'permit') fail('provision.type', 'only permit provisions can be represented');
  if (provision.provision !== undefined) fail('provision.provision', 'nested provisions cannot be represented');
  if (provision.data !== undefined) fail('provision.data', 'consents about particular resources cannot be represented');
  if (provision.dataPeriod !== undefined) fail('provision.dataPeriod', 'consents about data of a period cannot be represented');

  const recipients = readActors(provision.actor, fail);
  const purposes = readPurposes(provision.purpose, fail);
  const categories = readCategories(provision, fail);
  const { start, end } = readPeriod(consent, provision, fail);
  const { method, attestedBy } = readMethod(consent, fail);
  const evidence = readEvidence(consent);
  if (problems.length) return { problems };
  return { terms: { clientId: clientId!, recipients, purposes, categories, method, attestedBy, evidence, start, end }, problems: [] };
}

/** Our consent as an SDOHCC Consent; revoked or expired ones are `inactive`. */
export function exportSdohccConsent(consent: ConsentRecord, now: Date): FhirConsent {
  const status = statusAt(consent, now);
  return {
    resourceType: 'Consent',
    id: consent.id,
    meta: { profile: [SDOHCC_CONSENT_PROFILE] },
    extension: [
      { url: NWD_METHOD_EXTENSION, valueCode: consent.method },
      ...(consent.attestedBy ? [{ url: NWD_ATTESTED_BY_EXTENSION, valueString: consent.attestedBy }] : []),
    ],
    status: status === 'active' ? 'active' : 'inactive',
    scope: { coding: [SCOPE] },
    category: [{ coding: [IDSCL] }],
    patient: { reference: `Patient/${consent.clientId}` },
    dateTime: consent.createdAt.toISOString(),
    organization: [{ reference: `Organization/${consent.grantorOrganizationId}` }],
    ...(consent.evidence ? { sourceReference: { display: consent.evidence } } : {}),
    policyRule: { coding: [HIPAA_AUTH] },
    provision: {
      type: 'permit',
      period: { start: consent.effectiveFrom.toISOString(), ...(consent.expiresAt ? { end: consent.expiresAt.toISOString() } : {}) },
      actor: consent.recipients
        .filter((rule) => !rule.revokedAt)
        .map((rule) => ({
          role: { coding: [{ system: PARTICIPATION, code: 'IRCP', display: 'information recipient' }] },
          reference: rule.organizationId
            ? { reference: `Organization/${rule.organizationId}` }
            : { identifier: { system: NWD_RECIPIENT_SYSTEM, value: rule.anyMember ? 'any-member' : `kind:${rule.organizationKind}` } },
        })),
      purpose: consent.purposes.map((code) => ({ system: NWD_PURPOSE_SYSTEM, code })),
      code: [{ coding: consent.categories.map((code) => ({ system: NWD_CATEGORY_SYSTEM, code })) }],
      securityLabel: consent.categories.flatMap((category) => (SECURITY_LABELS[category] ? [{ system: ACT_CODE, code: SECURITY_LABELS[category] }] : [])),
    },
  };
}

type Fail = (field: string, message: string) => void;

function readActors(actors: unknown, fail: Fail): RecipientRule[] {
  if (actors === undefined) return [{ anyMember: true }];
  if (!Array.isArray(actors) || !actors.length) return fail('provision.actor', 'must be a non-empty array'), [];
  return actors.flatMap((actor, i): RecipientRule[] => {
    const at = `provision.actor[${i}]`;
    if (!isObject(actor) || !hasCoding(actor.role, PARTICIPATION, 'IRCP')) return fail(`${at}.role`, `only information recipients (${PARTICIPATION}|IRCP) can be represented`), [];
    const ref = isObject(actor.reference) ? actor.reference : {};
    if (typeof ref.reference === 'string') {
      const id = ref.reference.startsWith('Organization/') ? ref.reference.slice('Organization/'.length) : '';
      if (isUUID(id)) return [{ organizationId: id.toLowerCase() }];
    }
    const identifier = isObject(ref.identifier) ? ref.identifier : {};
    if (identifier.system === NWD_RECIPIENT_SYSTEM && identifier.value === 'any-member') return [{ anyMember: true }];
    const kind = typeof identifier.value === 'string' && identifier.value.startsWith('kind:') ? identifier.value.slice(5) : '';
    if (identifier.system === NWD_RECIPIENT_SYSTEM && (ORGANIZATION_KINDS as readonly string[]).includes(kind)) return [{ organizationKind: kind as OrganizationKind }];
    return fail(`${at}.reference`, 'must reference Organization/<network organization id>'), [];
  });
}

function readPurposes(purposes: unknown, fail: Fail): ConsentPurpose[] {
  if (purposes === undefined) return ['referral', 'care-coordination'];
  if (!Array.isArray(purposes) || !purposes.length) return fail('provision.purpose', 'must be a non-empty array of codings'), [];
  const read = purposes.map((coding: Coding, i): ConsentPurpose | undefined => {
    if (isObject(coding) && coding.system === NWD_PURPOSE_SYSTEM && (coding.code === 'referral' || coding.code === 'care-coordination')) return coding.code;
    if (isObject(coding) && coding.system === ACT_REASON && (coding.code === 'TREAT' || coding.code === 'CAREMGT')) return 'care-coordination';
    fail(`provision.purpose[${i}]`, `must be ${ACT_REASON}|TREAT, |CAREMGT or ${NWD_PURPOSE_SYSTEM}|referral, |care-coordination`);
    return undefined;
  });
  return [...new Set(read.filter((p): p is ConsentPurpose => p !== undefined))];
}

function readCategories(provision: ConsentProvision, fail: Fail): DataCategory[] {
  const categories = new Set<DataCategory>();
  const codes = provision.code;
  if (codes !== undefined && !Array.isArray(codes)) fail('provision.code', 'must be an array');
  (Array.isArray(codes) ? codes : []).forEach((concept, i) => {
    const codings = isObject(concept) && Array.isArray(concept.coding) ? concept.coding : [];
    codings.forEach((coding, j) => {
      if (isObject(coding) && coding.system === NWD_CATEGORY_SYSTEM && (DATA_CATEGORIES as readonly unknown[]).includes(coding.code)) categories.add(coding.code as DataCategory);
      else fail(`provision.code[${i}].coding[${j}]`, `must be a ${NWD_CATEGORY_SYSTEM} code: ${DATA_CATEGORIES.join(', ')}`);
    });
  });
  const labels = provision.securityLabel;
  if (labels !== undefined && !Array.isArray(labels)) fail('provision.securityLabel', 'must be an array');
  (Array.isArray(labels) ? labels : []).forEach((label, i) => {
    const category = isObject(label) && label.system === ACT_CODE && typeof label.code === 'string' ? LABELLED[label.code] : undefined;
    if (category) categories.add(category);
    else fail(`provision.securityLabel[${i}]`, `must be ${ACT_CODE}|ETH, |BH or |SDV`);
  });
  return categories.size ? [...categories] : [...UNSPECIFIED_CATEGORIES];
}

function readPeriod(consent: FhirConsent, provision: ConsentProvision, fail: Fail): { start?: Date; end: Date | null } {
  const period = isObject(provision.period) ? provision.period : {};
  const date = (value: unknown, field: string): Date | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !isISO8601(value)) return fail(field, 'must be a FHIR dateTime'), undefined;
    return new Date(value);
  };
  const start = date(period.start, 'provision.period.start') ?? date(consent.dateTime, 'dateTime');
  return { start, end: date(period.end, 'provision.period.end') ?? null };
}

function readMethod(consent: FhirConsent, fail: Fail): { method: ConsentMethod; attestedBy: string | null } {
  const extensions = Array.isArray(consent.extension) ? consent.extension.filter(isObject) : [];
  const declared = extensions.find((e) => e.url === NWD_METHOD_EXTENSION)?.valueCode;
  const attestedBy = extensions.find((e) => e.url === NWD_ATTESTED_BY_EXTENSION)?.valueString;
  if (declared !== undefined) {
    if ((CONSENT_METHODS as readonly unknown[]).includes(declared)) return { method: declared as ConsentMethod, attestedBy: typeof attestedBy === 'string' ? attestedBy : null };
    fail('extension', `${NWD_METHOD_EXTENSION} must be one of ${CONSENT_METHODS.join(', ')}`);
  } else if (!isObject(consent.sourceAttachment) && !isObject(consent.sourceReference)) {
    fail('source[x]', 'the signed form (sourceAttachment or sourceReference) is required to tell how the consent was given');
  }
  return { method: 'written', attestedBy: null };
}

/** A reference to the signed form: its own address, or its type and digest when it came inline. */
function readEvidence(consent: FhirConsent): string | null {
  if (isObject(consent.sourceReference)) return String(consent.sourceReference.reference ?? consent.sourceReference.display ?? '').slice(0, 2000) || null;
  const attachment = consent.sourceAttachment;
  if (!isObject(attachment)) return null;
  if (typeof attachment.url === 'string') return attachment.url.slice(0, 2000);
  const digest = typeof attachment.data === 'string' ? createHash('sha256').update(attachment.data).digest('hex') : 'none';
  return `Consent.sourceAttachment ${String(attachment.contentType ?? 'unknown type')} sha256:${digest}`;
}

function hasCoding(concept: unknown, system: string, code: string): boolean {
  return isObject(concept) && Array.isArray(concept.coding) && concept.coding.some((c: unknown) => isObject(c) && c.system === system && c.code === code);
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
