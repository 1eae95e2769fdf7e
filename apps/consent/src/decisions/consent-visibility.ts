import { Injectable } from '@nestjs/common';
import { CONSENT_PURPOSES } from '@nwd/contracts';
import { Clock } from '../clock/clock';
import { ClientOwnership } from '../consents/client-records';
import { ConsentsRepository } from '../consents/consents.repository';
import { OrganizationRegistry } from '../organizations/organization-registry';
import { ConsentPolicy } from './consent-policy';

/**
 * Which clients an organization may see in the register: those it registered, and those whose
 * consent lets it receive `demographics` for some purpose now. The registering organization is
 * the source of the record, so a DV program's clients are seen only under VAWA's consent and
 * never by a search that merely matches.
 */
@Injectable()
export class ConsentVisibility {
  constructor(
    private readonly consents: ConsentsRepository,
    private readonly organizations: OrganizationRegistry,
    private readonly policy: ConsentPolicy,
    private readonly clock: Clock,
  ) {}

  async canSee(organizationId: string, client: ClientOwnership): Promise<boolean> {
    return (await this.visible(organizationId, [client])).has(client.id);
  }

  /** The ids among `clients` that `organizationId` may see: one query for all their consents. */
  async visible(organizationId: string, clients: readonly ClientOwnership[]): Promise<Set<string>> {
    const seen = new Set(clients.filter((c) => c.createdByOrganizationId === organizationId).map((c) => c.id));
    const others = clients.filter((c) => !seen.has(c.id));
    if (!others.length) return seen;
    const [consents, recipient] = await Promise.all([
      this.consents.forClients(others.map((c) => c.id)),
      this.organizations.describe(organizationId),
    ]);
    const now = this.clock.now();
    for (const client of others) {
      const held = consents.get(client.id) ?? [];
      if (!held.length) continue;
      const source = await this.organizations.describe(client.createdByOrganizationId);
      const permitted = CONSENT_PURPOSES.some(
        (purpose) =>
          this.policy.decide(
            { recipient, sources: [source], registeringOrganizationId: client.createdByOrganizationId, purpose, categories: ['demographics'], now },
            held,
          ).permitted,
      );
      if (permitted) seen.add(client.id);
    }
    return seen;
  }
}
