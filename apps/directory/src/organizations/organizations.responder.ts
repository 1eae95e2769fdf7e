import { Injectable } from '@nestjs/common';
import { DirectoryRequests, GetOrganizationRequest, OrganizationSummary } from '@nwd/contracts';
import { OnRequest } from '@nwd/messaging';
import { OrganizationsRepository } from './organizations.repository';

/** Answers other services' questions about membership, so they never read the directory's tables. */
@Injectable()
export class OrganizationsResponder {
  constructor(private readonly organizations: OrganizationsRepository) {}

  @OnRequest(DirectoryRequests.getOrganization)
  async getOrganization(request: GetOrganizationRequest): Promise<OrganizationSummary> {
    const { id, name, kind, status, protections } = await this.organizations.get(request.organizationId);
    // Absent means none, as from a directory older than protections.
    return { id, name, kind, status, ...(protections.length ? { protections } : {}) };
  }
}
