/**
 * Rows that must never leave the directory because they describe a confidential location (a
 * domestic-violence shelter): the location, its addresses and accessibility, everything attached to it
 * or to the service-at-location records there. One SQL predicate per HSDS table, `r` being the row;
 * every read path (HSDS API, export) filters with these, and `hsds_confidential_location` is the one
 * definition of which locations they are.
 */
const HIDDEN_LOCATION = `SELECT location_id FROM hsds_confidential_location`;
const HIDDEN_SAL = `SELECT id FROM hsds_service_at_location WHERE location_id IN (${HIDDEN_LOCATION})`;
const HIDDEN_PHONE = `SELECT id FROM hsds_phone WHERE location_id IN (${HIDDEN_LOCATION}) OR service_at_location_id IN (${HIDDEN_SAL})
  OR contact_id IN (SELECT id FROM hsds_contact WHERE location_id IN (${HIDDEN_LOCATION}) OR service_at_location_id IN (${HIDDEN_SAL}))`;
const HIDDEN_IDS = `${HIDDEN_LOCATION} UNION ${HIDDEN_SAL} UNION ${HIDDEN_PHONE}
  UNION SELECT id FROM hsds_address WHERE location_id IN (${HIDDEN_LOCATION})
  UNION SELECT id FROM hsds_accessibility WHERE location_id IN (${HIDDEN_LOCATION})
  UNION SELECT id FROM hsds_schedule WHERE location_id IN (${HIDDEN_LOCATION}) OR service_at_location_id IN (${HIDDEN_SAL})
  UNION SELECT id FROM hsds_contact WHERE location_id IN (${HIDDEN_LOCATION}) OR service_at_location_id IN (${HIDDEN_SAL})`;

/** Per table, the predicate that a row (named `r`) describes a confidential location. */
export const CONFIDENTIAL_ROWS: Record<string, (r: string) => string> = {
  location: (r) => `${r}.id IN (${HIDDEN_LOCATION})`,
  address: (r) => `${r}.location_id IN (${HIDDEN_LOCATION})`,
  accessibility: (r) => `${r}.location_id IN (${HIDDEN_LOCATION})`,
  service_at_location: (r) => `${r}.location_id IN (${HIDDEN_LOCATION})`,
  schedule: (r) => `(${r}.location_id IN (${HIDDEN_LOCATION}) OR ${r}.service_at_location_id IN (${HIDDEN_SAL}))`,
  contact: (r) => `(${r}.location_id IN (${HIDDEN_LOCATION}) OR ${r}.service_at_location_id IN (${HIDDEN_SAL}))`,
  phone: (r) => `${r}.id IN (${HIDDEN_PHONE})`,
  language: (r) => `(${r}.location_id IN (${HIDDEN_LOCATION}) OR ${r}.phone_id IN (${HIDDEN_PHONE}))`,
  attribute: (r) => `${r}.link_id IN (${HIDDEN_IDS})`,
  metadata: (r) => `${r}.resource_id IN (${HIDDEN_IDS})`,
};

/**
 * `NOT (…)` for a table's rows named `alias`, or `true` when the table never holds location details. Counts and
 * pages filter with it as well as the rows they return: a hidden row counted is a hidden row confirmed.
 */
export function visibleRows(table: string, alias = 'r'): string {
  const hidden = CONFIDENTIAL_ROWS[table];
  return hidden ? `NOT ${hidden(alias)}` : 'true';
}
