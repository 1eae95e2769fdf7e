import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Principal } from '@nwd/auth';
import type { Client } from '../clients/client.entity';
import { ClientReadChannel, ClientVisibility, VisibleClient } from '../clients/client-visibility';
import { DisclosureLedger, NewDisclosure } from '../disclosures/disclosure-ledger';
import { OrganizationRegistry } from '../organizations/organization-registry';
import { ConsentVisibility } from './consent-visibility';
import { releasedFields } from './disclosure-desk';

/**
 * The register's visibility backed by consents: another organization's client is seen when a
 * consent lets the viewer receive `demographics`, and then only with what is allowed, recorded as
 * a disclosure in the read's transaction. Domestic-violence programs' registrations take no part
 * in anyone's search, so a match cannot tell that a person is known to one.
 */
@Injectable()
export class ConsentClientVisibility extends ClientVisibility {
  constructor(
    private readonly visibility: ConsentVisibility,
    private readonly organizations: OrganizationRegistry,
    private readonly ledger: DisclosureLedger,
  ) {
    super();
  }

  async concealedOrganizationIds(): Promise<readonly string[]> {
    return this.organizations.protectedBy('domestic-violence');
  }

  async mayView(manager: EntityManager, viewer: Principal, clients: readonly Client[]): Promise<ReadonlySet<string>> {
    return this.visibility.visible(viewer.organizationId, clients, manager);
  }

  async disclose(manager: EntityManager, viewer: Principal, clients: readonly Client[], channel: ClientReadChannel): Promise<Map<string, VisibleClient>> {
    const others = clients.filter((c) => c.createdByOrganizationId !== viewer.organizationId);
    const decided = await this.visibility.decideMany(viewer.organizationId, others, manager);
    const shown = new Map<string, VisibleClient>();
    const disclosures: NewDisclosure[] = [];
    for (const client of others) {
      const decision = decided.get(client.id);
      if (!decision?.decision.allowed.includes('demographics')) continue;
      const { allowed, withheld, consentIds, redisclosureNotice } = decision.decision;
      shown.set(client.id, { client: releasedFields(client, allowed)!, withheld, ...(redisclosureNotice ? { redisclosureNotice } : {}) });
      disclosures.push({
        clientId: client.id,
        recipientOrganizationId: viewer.organizationId,
        sourceOrganizationIds: [client.createdByOrganizationId],
        purpose: decision.purpose,
        categories: allowed,
        channel,
        consentIds,
      });
    }
    await this.ledger.record(manager, disclosures);
    return shown;
  }
}
