import { Injectable } from '@nestjs/common';
import { DirectoryRequests, OrganizationKind, OrganizationProtection } from '@nwd/contracts';
import { MessagingClient } from '@nwd/messaging';
import { Clock } from '@nwd/clock';
import { ConsentConfig } from '../consent.config';
import type { PartyFacts } from '../decisions/consent-policy';

/** How long an organization the directory could not describe is decided on without its kind. */
const UNKNOWN_FOR_MS = 5_000;

/**
 * What decisions need to know about network members: their kind (asked of the directory, kept
 * a while: kinds hardly change) and their protections (followed from the IDENTITY stream by
 * ProtectionsFeed, so a network admin's change applies to the very next decision).
 */
@Injectable()
export class OrganizationRegistry {
  private readonly kinds = new Map<string, { kind?: OrganizationKind; until: number; protections: OrganizationProtection[] }>();
  private readonly protections = new Map<string, OrganizationProtection[]>();
  /** Lookups in flight, so a burst of decisions about one organization asks the directory once. */
  private readonly asking = new Map<string, Promise<void>>();

  constructor(
    private readonly messaging: MessagingClient,
    private readonly clock: Clock,
    private readonly config: ConsentConfig,
  ) {}

  /** From the IDENTITY stream: the latest word on an organization's protections. */
  setProtections(organizationId: string, protections: OrganizationProtection[]): void {
    this.protections.set(organizationId, [...protections]);
  }

  /** Organizations known (from the feed) to be under `protection`. */
  protectedBy(protection: OrganizationProtection): string[] {
    return [...this.protections].filter(([, protections]) => protections.includes(protection)).map(([id]) => id);
  }

  async describe(organizationId: string): Promise<PartyFacts> {
    await this.ensureKind(organizationId);
    const known = this.kinds.get(organizationId);
    return {
      organizationId,
      ...(known?.kind ? { kind: known.kind } : {}),
      // The feed is authoritative; the directory's reply covers a feed that has not caught up yet.
      protections: this.protections.get(organizationId) ?? known?.protections ?? [],
    };
  }

  describeAll(organizationIds: readonly string[]): Promise<PartyFacts[]> {
    return Promise.all([...new Set(organizationIds)].map((id) => this.describe(id)));
  }

  private async ensureKind(organizationId: string): Promise<void> {
    const known = this.kinds.get(organizationId);
    if (known && known.until > this.clock.now().getTime()) return;
    let pending = this.asking.get(organizationId);
    if (!pending) {
      pending = this.ask(organizationId).finally(() => this.asking.delete(organizationId));
      this.asking.set(organizationId, pending);
    }
    await pending;
  }

  private async ask(organizationId: string): Promise<void> {
    try {
      const organization = await this.messaging.request(DirectoryRequests.getOrganization, { organizationId });
      this.kinds.set(organizationId, {
        kind: organization.kind,
        protections: organization.protections ?? [],
        until: this.clock.now().getTime() + this.config.NWD_ORGANIZATION_CACHE_SECONDS * 1000,
      });
    } catch {
      // Unknown or unreachable: decide without the kind (no `organizationKind` rule matches) for a few
      // seconds, rather than make every decision wait for the directory's timeout.
      this.kinds.set(organizationId, { protections: [], until: this.clock.now().getTime() + UNKNOWN_FOR_MS });
    }
  }
}
