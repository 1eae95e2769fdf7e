import { EntityManager } from 'typeorm';
import { Clock } from '@nwd/clock';
import { needDomainsFor } from './need-domain-rules';
import { listingTimeZone, ScheduleRule, toMultirange, weeklyIntervals } from './opening-hours';

/**
 * Keeps the derived parts of the directory in step with the HSDS tables, inside the caller's transaction:
 * the rule-based taxonomy → need-domain mapping and the search rows of the services a change touched.
 */
export class ListingIndex {
  constructor(
    private readonly networkTimeZone: string,
    private readonly clock: Clock = new Clock(),
  ) {}

  /** Rule mappings for every term without a manual one (a network admin's mapping is never overwritten). */
  async refreshNeedDomains(manager: EntityManager, termIds?: string[]): Promise<void> {
    const terms: { id: string; code: string | null; name: string; taxonomy: string | null }[] = await manager.query(
      `SELECT t.id, t.code, t.name, coalesce(tx.name, t.taxonomy) AS taxonomy
         FROM hsds_taxonomy_term t LEFT JOIN hsds_taxonomy tx ON tx.id = t.taxonomy_id
        WHERE ($1::uuid[] IS NULL OR t.id = ANY ($1))
          AND NOT EXISTS (SELECT 1 FROM taxonomy_term_need_domain m WHERE m.taxonomy_term_id = t.id AND m.source = 'manual')`,
      [termIds ?? null],
    );
    const ids = terms.map((t) => t.id);
    const termColumn: string[] = [];
    const domainColumn: string[] = [];
    for (const term of terms) {
      for (const domain of needDomainsFor(term)) {
        termColumn.push(term.id);
        domainColumn.push(domain);
      }
    }
    await manager.query(`DELETE FROM taxonomy_term_need_domain WHERE source = 'rule' AND taxonomy_term_id = ANY ($1::uuid[])`, [ids]);
    await manager.query(
      `INSERT INTO taxonomy_term_need_domain (taxonomy_term_id, need_domain, source)
       SELECT * , 'rule' FROM unnest($1::uuid[], $2::text[])`,
      [termColumn, domainColumn],
    );
  }

  /**
   * Makes every other listing writer wait until this transaction ends. Two edits of listings sharing a
   * location each rebuild both services' rows: the later must read the earlier one's rows and
   * confidentiality, not meet them on the rows' key (an error) or write what its own snapshot saw (a stale
   * location). Writers take it first, before their row locks, or two of them deadlock (an edit's FOR UPDATE
   * on a service against an import's FOR KEY SHARE on it). Imports and human edits are few: waiting costs little.
   */
  async holdWriters(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('nwd:listing-search'))`);
  }

  /**
   * Rebuilds the search rows of these services and of every service sharing a location with them, their weekly
   * hours read in each listing's time zone. A location's confidentiality is decided by all the services there,
   * so a change to one listing can hide or show the location of the others (refresh_listing_search refreshes
   * the same services whoever calls it; they are looked up here too, for their hours). The hours are worked
   * out first and written with the rows (an UPDATE afterwards rewrote most rows of every import).
   */
  async refreshServices(manager: EntityManager, changedIds: string[]): Promise<void> {
    if (!changedIds.length) return;
    await this.holdWriters(manager);
    const [{ ids: serviceIds }]: { ids: string[] }[] = await manager.query(`SELECT services_sharing_locations($1::uuid[]) AS ids`, [changedIds]);
    const rows: { listing_key: string; hidden: boolean; zone: string | null; level: number; schedule: ScheduleRule }[] = await manager.query(
      // A listing is a service at a location, or a service without one (its key is then the service's id).
      // Each branch reads hsds_schedule through its own index (a CTE of all schedules with hours would be
      // scanned once per listing: most directories' schedules have free-text hours, so that is nearly all).
      // At a hidden location only the service's own hours count: those of the location, and of the service
      // there, are the location's and would show when it is open.
      `SELECT coalesce(sal.id, s.id) AS listing_key, hidden.location_id IS NOT NULL AS hidden, s.time_zone AS zone, m.level, to_jsonb(sc) AS schedule
         FROM hsds_service s
         LEFT JOIN hsds_service_at_location sal ON sal.service_id = s.id
         LEFT JOIN hsds_confidential_location hidden ON hidden.location_id = sal.location_id
         JOIN LATERAL (
           SELECT 1 AS level, sc.* FROM hsds_schedule sc WHERE sc.service_at_location_id = sal.id AND hidden.location_id IS NULL
           UNION ALL SELECT 2, sc.* FROM hsds_schedule sc WHERE sc.service_id = s.id AND sc.service_at_location_id IS NULL
           UNION ALL SELECT 3, sc.* FROM hsds_schedule sc
                      WHERE sc.location_id = sal.location_id AND sc.service_id IS NULL AND sc.service_at_location_id IS NULL AND hidden.location_id IS NULL
         ) m ON (m.opens_at IS NOT NULL AND m.closes_at IS NOT NULL) OR m.description IS NOT NULL
         JOIN LATERAL (SELECT m.id, m.freq, m.byday, m.opens_at, m.closes_at, m.description, m.valid_from, m.valid_to, m.timezone) sc ON true
        WHERE s.id = ANY ($1::uuid[])`,
      [serviceIds],
    );
    const byListing = new Map<string, { hidden: boolean; zone: string | null; level: number; schedules: ScheduleRule[] }>();
    for (const row of rows) {
      const current = byListing.get(row.listing_key);
      // The most specific schedules win: at this location for this service, then the service's, then the location's.
      if (!current || row.level < current.level) {
        byListing.set(row.listing_key, { hidden: row.hidden, zone: row.zone, level: row.level, schedules: [row.schedule] });
      }
      else if (row.level === current.level) current.schedules.push(row.schedule);
    }
    // Schedules that have expired drop out here; the search reads the weekly pattern only.
    const today = this.clock.now().toISOString().slice(0, 10);
    const keys: string[] = [];
    const hours: (string | null)[] = [];
    const zones: string[] = [];
    // Which listings these hours were worked out for as hidden: refresh_listing_search leaves out hours worked
    // out for a public listing whose location another transaction has hidden since this statement read it.
    const hidden: boolean[] = [];
    for (const [key, listing] of byListing) {
      keys.push(key);
      hours.push(toMultirange(weeklyIntervals(listing.schedules, today)));
      zones.push(listingTimeZone(listing.schedules, listing.zone, this.networkTimeZone));
      hidden.push(listing.hidden);
    }
    await manager.query(`SELECT refresh_listing_search($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::boolean[])`, [
      serviceIds,
      keys,
      hours,
      zones,
      hidden,
    ]);
    // The vocabulary typo tolerance draws on: only grows (a word no listing uses any more is harmless there).
    // Only the changed services' words can be new: a neighbour's row changes with its location, not its words.
    await manager.query(
      `INSERT INTO search_word
       SELECT word FROM listing_search, unnest(tsvector_to_array(words)) word WHERE service_id = ANY ($1::uuid[]) GROUP BY word
       ON CONFLICT DO NOTHING`,
      [changedIds],
    );
  }
}
