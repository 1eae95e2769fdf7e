import { EntityManager } from 'typeorm';
import { DirectoryEvents, ServiceUpdated } from '@nwd/contracts';
import { Outbox } from '@nwd/messaging';

interface ServiceFacts {
  id: string;
  status: string;
  organization_id: string;
  maintainer_organization_id: string | null;
}

/** Events per statement: well under PostgreSQL's 65,535 parameters at three per row. */
const CHUNK = 5000;

/**
 * What an import changed of the services other services rely on — status, provider, maintaining organization —
 * announced as the same `directory.v1.service-updated` an edit emits, in the import's transaction. The referral
 * service remembers the services it refers to and forgets one on that event; without it, a service an import
 * deactivated or handed to another organization would still take referrals as before. Services the import
 * creates are new to everyone and need no event; a re-import that changes nothing emits nothing.
 */
export class ImportedServiceChanges {
  private constructor(private readonly before: Map<string, ServiceFacts>) {}

  /** Reads the facts of the package's services that the directory already holds, before the import writes. */
  static async read(manager: EntityManager, serviceIds: string[]): Promise<ImportedServiceChanges> {
    return new ImportedServiceChanges(await facts(manager, serviceIds));
  }

  /** After the import wrote (and set maintainers): one event per service whose facts changed. */
  async announce(manager: EntityManager, outbox: Outbox, at: Date): Promise<number> {
    if (!this.before.size) return 0;
    const after = await facts(manager, [...this.before.keys()]);
    const events: ServiceUpdated[] = [];
    for (const [id, was] of this.before) {
      const now = after.get(id);
      if (!now || (now.status === was.status && now.organization_id === was.organization_id && now.maintainer_organization_id === was.maintainer_organization_id)) continue;
      events.push({
        serviceId: id,
        ...(now.maintainer_organization_id ? { organizationId: now.maintainer_organization_id } : {}),
        providerOrganizationId: now.organization_id,
        changed: ['service'],
        updatedAt: at.toISOString(),
      });
    }
    for (let start = 0; start < events.length; start += CHUNK) {
      await outbox.appendMany(manager, DirectoryEvents.serviceUpdated, events.slice(start, start + CHUNK));
    }
    return events.length;
  }
}

async function facts(manager: EntityManager, serviceIds: string[]): Promise<Map<string, ServiceFacts>> {
  const rows: ServiceFacts[] = await manager.query(
    `SELECT id, status, organization_id, maintainer_organization_id FROM hsds_service WHERE id = ANY ($1::uuid[])`,
    [serviceIds],
  );
  return new Map(rows.map((row) => [row.id, row]));
}
