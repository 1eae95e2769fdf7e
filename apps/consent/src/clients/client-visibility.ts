import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Principal } from '@nwd/auth';
import type { DisclosedClient, WithheldCategory } from '@nwd/contracts';
import type { Client } from './client.entity';

/** What a viewer may see of a client another organization registered, as decided for this read. */
export interface VisibleClient {
  client: DisclosedClient;
  withheld: WithheldCategory[];
  redisclosureNotice?: string;
}

export type ClientReadChannel = 'client-read' | 'client-search';

/**
 * Who sees which clients beyond the organization that registered them. The register always shows an
 * organization its own registrations in full; everything else goes through this seam, which the
 * consent policy backs (decides, shapes and records the disclosure in the caller's transaction).
 * The default shows nothing beyond an organization's own.
 */
export abstract class ClientVisibility {
  /**
   * Organizations whose registrations never take part in anyone else's search (domestic-violence
   * programs): not returned, not ranked, not counted.
   */
  abstract concealedOrganizationIds(manager: EntityManager): Promise<readonly string[]>;

  /** Of clients other organizations registered, the ids `viewer` may see now: decides, records nothing. */
  abstract mayView(manager: EntityManager, viewer: Principal, clients: readonly Client[]): Promise<ReadonlySet<string>>;

  /**
   * Of clients other organizations registered, what `viewer` may see of each now, keyed by client
   * id; a client left out is not visible at all. Whatever is returned counts as disclosed and is
   * recorded in `manager`'s transaction.
   */
  abstract disclose(manager: EntityManager, viewer: Principal, clients: readonly Client[], channel: ClientReadChannel): Promise<Map<string, VisibleClient>>;
}

/** The register before consents back it: an organization sees its own registrations and nothing else. */
@Injectable()
export class OwnOrganizationOnly extends ClientVisibility {
  async concealedOrganizationIds(): Promise<readonly string[]> {
    return [];
  }

  async mayView(): Promise<ReadonlySet<string>> {
    return new Set();
  }

  async disclose(): Promise<Map<string, VisibleClient>> {
    return new Map();
  }
}
