import { AuditEvent } from '../audit/audit-event.entity';
import { ApiClient } from '../clients/api-client.entity';
import { HSDS_ENTITIES } from '../hsds/hsds.entities';
import { NetworkOrganization } from '../organizations/network-organization.entity';

/** Every table this service owns. */
export const entities: Function[] = [NetworkOrganization, ApiClient, AuditEvent, ...HSDS_ENTITIES];
