import { AuditEvent } from '../audit/audit-event.entity';
import { ApiClient } from '../clients/api-client.entity';
import { HsdsService } from '../hsds/hsds-service.entity';
import { NetworkOrganization } from '../organizations/network-organization.entity';

/** Every table this service owns. */
export const entities: Function[] = [NetworkOrganization, ApiClient, AuditEvent, HsdsService];
