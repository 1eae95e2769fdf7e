import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AuditLog } from '../audit/audit-log';
import { NetworkOrganization } from '../organizations/network-organization.entity';
import { ApiClient } from './api-client.entity';
import { hashClientSecret } from './client-secret';

export const NETWORK_ADMINISTRATION = 'Network administration';

/**
 * Creates a network-admin client with the given id and secret, in a coordinator organization of
 * its own, unless that client exists. Used at boot (NWD_ADMIN_CLIENT_ID/SECRET) and by the CLI.
 * Returns whether it created one.
 */
export async function ensureNetworkAdminClient(
  manager: EntityManager,
  auditLog: Pick<AuditLog, 'record'>,
  input: { clientId: string; secret: string; actor: string },
): Promise<boolean> {
  // Serialises concurrent boots of several directory instances.
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('nwd:network-admin-bootstrap'))`);
  if (await manager.existsBy(ApiClient, { id: input.clientId })) return false;
  let organization = await manager.findOneBy(NetworkOrganization, { name: NETWORK_ADMINISTRATION, kind: 'coordinator' });
  if (!organization) {
    organization = manager.create(NetworkOrganization, { id: uuidv7(), name: NETWORK_ADMINISTRATION, kind: 'coordinator', status: 'active' });
    await manager.insert(NetworkOrganization, organization);
    await auditLog.record(manager, { subject: input.actor }, 'organization.created', { type: 'organization', id: organization.id }, {
      name: NETWORK_ADMINISTRATION,
      kind: 'coordinator',
    });
  }
  await manager.insert(ApiClient, {
    id: input.clientId,
    organizationId: organization.id,
    name: 'Network administrator',
    roles: ['network-admin'],
    secretHash: await hashClientSecret(input.secret),
    status: 'active',
  });
  await auditLog.record(manager, { subject: input.actor }, 'client.created', { type: 'client', id: input.clientId }, {
    organizationId: organization.id,
    roles: ['network-admin'],
  });
  return true;
}
