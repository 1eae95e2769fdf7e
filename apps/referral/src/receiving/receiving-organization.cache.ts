import { Injectable } from '@nestjs/common';
import { DenyList } from '@nwd/auth';
import { DirectoryRequests, OrganizationSummary } from '@nwd/contracts';
import { MessagingClient } from '@nwd/messaging';
import { Clock } from '@nwd/clock';

/** How long an active organization is taken on trust without asking the directory again. */
const ACTIVE_FOR_MS = 60_000;

/**
 * Looks receiving organizations up in the directory, over NATS. Active ones are remembered for a
 * minute: asking for every referral cost a round trip through two services. Suspension does not
 * wait for that minute — it arrives as an identity event in the deny-list, which is checked first.
 */
@Injectable()
export class ReceivingOrganizationCache {
  private readonly active = new Map<string, { organization: OrganizationSummary; until: number }>();

  constructor(
    private readonly messaging: MessagingClient,
    private readonly denyList: DenyList,
    private readonly clock: Clock,
  ) {}

  async find(organizationId: string): Promise<OrganizationSummary> {
    const now = this.clock.now().getTime();
    const cached = this.active.get(organizationId);
    if (cached && cached.until > now) {
      return this.denyList.isSuspended(organizationId) ? { ...cached.organization, status: 'suspended' } : cached.organization;
    }
    const organization = await this.messaging.request(DirectoryRequests.getOrganization, { organizationId });
    if (organization.status === 'active') this.active.set(organizationId, { organization, until: now + ACTIVE_FOR_MS });
    else this.active.delete(organizationId);
    return organization;
  }
}
