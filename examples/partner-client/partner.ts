/**
 * A partner's integration, written only against the clients generated from the services' OpenAPI
 * documents: get a token from the directory, search it for a service, refer a client there (with
 * the client's consent, so the receiver may see who they are) and read the referral back, with
 * whatever consent does not allow marked as withheld. If a document stops describing what these calls send or get, this no longer
 * compiles (test/platform/openapi-contract.e2e-spec.ts compiles it against freshly generated types).
 */
import createClient from 'openapi-fetch';
import type { paths as DirectoryPaths } from './generated/directory';
import type { paths as ReferralPaths } from './generated/referral';

export interface PartnerSettings {
  directoryUrl: string;
  referralUrl: string;
  clientId: string;
  clientSecret: string;
  receivingOrganizationId: string;
}

export async function referAClient(settings: PartnerSettings): Promise<string> {
  const directory = createClient<DirectoryPaths>({ baseUrl: settings.directoryUrl });
  const token = await directory.POST('/oauth/token', {
    body: { grant_type: 'client_credentials', client_id: settings.clientId, client_secret: settings.clientSecret },
  });
  if (!token.data) throw new Error(`token: ${token.error?.code ?? token.response.status}`);
  const headers = { authorization: `Bearer ${token.data.access_token}` };

  const found = await directory.GET('/v1/directory/search', { params: { query: { q: 'food pantry', need: ['food-insecurity'], limit: 5 } }, headers });
  if (!found.data) throw new Error(`search: ${found.error?.code}`);
  const service = found.data.results.find((result) => result.maintainerOrganizationId === settings.receivingOrganizationId);

  const referrals = createClient<ReferralPaths>({ baseUrl: settings.referralUrl, headers });
  const created = await referrals.POST('/v1/referrals', {
    params: { header: { 'Idempotency-Key': `partner-example-${Date.now()}` } },
    body: {
      receivingOrganizationId: settings.receivingOrganizationId,
      ...(service ? { receivingServiceId: service.serviceId } : {}),
      needs: ['food-insecurity'],
      // A person new to the network, registered with the consent service (or send `clientId`).
      client: { givenName: 'Ada', familyName: 'Example', birthDate: '1980-04-01' },
      // Without a consent the receiver reads the referral with the client's details withheld.
      consent: { method: 'electronic-signature', categories: ['contact', 'demographics'], evidence: 'partner-example signed form' },
    },
  });
  if (!created.data) throw new Error(`create: ${created.error?.code}: ${created.error?.detail}`);
  for (const warning of created.data.warnings) console.log(`warning ${warning.code}: ${warning.message}`);
  console.log(`client ${created.data.clientId ?? '(de-identified)'} registered with the consent service`);

  const read = await referrals.GET('/v1/referrals/{id}', { params: { path: { id: created.data.id } } });
  if (!read.data) throw new Error(`read: ${read.error?.code}`);
  const respond = read.data.dueDates.respond;
  console.log(`${read.data.reference} is ${read.data.status}; respond by ${respond?.dueAt ?? 'n/a'}; ${read.data.timeline.length} timeline entries`);
  for (const withheld of read.data.client.withheld) console.log(`withheld ${withheld.category}: ${withheld.reason}`);
  return read.data.id;
}

if (require.main === module) {
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  referAClient({
    directoryUrl: process.env.DIRECTORY_URL ?? 'http://127.0.0.1:3002',
    referralUrl: process.env.REFERRAL_URL ?? 'http://127.0.0.1:3001',
    clientId: env('CLIENT_ID'),
    clientSecret: env('CLIENT_SECRET'),
    receivingOrganizationId: env('RECEIVING_ORGANIZATION_ID'),
  }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
