import { randomBytes, randomUUID } from 'node:crypto';

/**
 * A small directory for the confidentiality suites, kept as a model beside the real one: places (a location
 * with its address, language, phone, accessibility and location-wide hours), services and their listings (a
 * service at a place, with hours of its own or not). Every detail of a place is unique, so any trace of one in
 * a response can be told apart, and the places lie at least 8 km apart, so a search within a few kilometres of
 * a place can only find listings at that place.
 */
export interface Place {
  id: string;
  /** The south-west corner of the place's grid cell (0.02° square); the place lies inside it wherever it moves. */
  cell: { lat: number; lon: number };
  lat: number;
  lon: number;
  postalCode: string;
  street: string;
  addressId: string;
  language: string;
  languageCode: string;
  languageId: string;
  phone: string;
  phoneId: string;
  accessibilityId: string;
  entrance: string;
  scheduleId: string;
  scheduleNotes: string;
  /** Minute of the week (Monday 00:00 UTC = 0) when only this place's location-wide hours are open. */
  openMinute: number;
}

export interface Listing {
  id: string;
  place: number;
  scheduleId: string;
  /** Minute of the week when only this listing's own hours are open; null: the place's hours are the listing's. */
  openMinute: number | null;
}

export interface ModelService {
  id: string;
  name: string;
  provider: number;
  maintainer: 'a' | 'b';
  confidential: boolean;
  listings: Listing[];
}

/** Real ZIP codes (the HSDS postcode filter resolves them), one per place. */
const POSTAL_CODES = ['94401', '94402', '94403', '94404', '94010', '94025'];
export const MAX_PLACES = POSTAL_CODES.length;
/** Monday 2024-03-18 00:00 UTC: minute 0 of the week the hours probes ask about. */
const WEEK = Date.parse('2024-03-18T00:00:00Z');

export const IPV_TERM = { id: randomUUID(), code: '101-06', name: 'Domestic violence shelter' };

const word = () => randomBytes(4).toString('hex');

export class DirectoryModel {
  readonly providers = [randomUUID(), randomUUID()];
  readonly places: Place[] = [];
  readonly services: ModelService[] = [];
  private nextSlot = 0;

  /** `jitters` (0–1 each) place the locations inside their cells of a 0.1° grid. */
  constructor(placeCount: number, jitters: number[]) {
    for (let k = 0; k < placeCount; k++) {
      // Rows 0.1° apart, columns 0.2°, each staggered by the other, so that no two places share a latitude or a
      // longitude either (to a hundredth of a degree), wherever they move in their cells.
      const [row, column] = [k % 3, Math.floor(k / 3)];
      const cell = { lat: 37.3 + 0.1 * row + 0.03 * column, lon: -122.4 + 0.2 * column + 0.03 * row };
      this.places.push({
        id: randomUUID(),
        cell,
        ...inCell(cell, jitters[k] ?? 0.5),
        postalCode: POSTAL_CODES[k],
        street: `${100 + k} Quillmark ${word()} Lane`,
        addressId: randomUUID(),
        language: `Zyxlang ${word()}`,
        languageCode: `zx-${word()}`,
        languageId: randomUUID(),
        phone: `555-${word()}`,
        phoneId: randomUUID(),
        accessibilityId: randomUUID(),
        entrance: `Ramp at gate ${word()}`,
        scheduleId: randomUUID(),
        scheduleNotes: `Side door ${word()}`,
        openMinute: this.slot(),
      });
    }
  }

  /** Moves a place inside its grid cell, so places stay kilometres apart. */
  move(place: Place, jitter: number): void {
    Object.assign(place, inCell(place.cell, jitter));
  }

  /** A ten-minute window on Sunday night that no other place or listing uses. */
  slot(): number {
    return 6 * 1440 + 60 + 20 * this.nextSlot++;
  }

  addService(maintainer: 'a' | 'b', provider: number, places: number[], ownHours: boolean): ModelService {
    const service: ModelService = { id: randomUUID(), name: `Helpdesk ${word()}`, provider, maintainer, confidential: false, listings: [] };
    for (const place of places) this.addListing(service, place, ownHours);
    this.services.push(service);
    return service;
  }

  addListing(service: ModelService, place: number, ownHours: boolean): Listing {
    const listing = { id: randomUUID(), place, scheduleId: randomUUID(), openMinute: ownHours ? this.slot() : null };
    service.listings.push(listing);
    return listing;
  }

  /** A place where any confidential service is delivered is hidden, for every service there. */
  isHidden(place: number): boolean {
    return this.services.some((s) => s.confidential && s.listings.some((l) => l.place === place));
  }

  hiddenPlaces(): Place[] {
    return this.places.filter((_, k) => this.isHidden(k));
  }

  /** Listings the open data shows: public services at places no confidential listing shares. */
  publicListings(): { service: ModelService; listing: Listing }[] {
    return this.services.flatMap((service) =>
      service.confidential ? [] : service.listings.filter((l) => !this.isHidden(l.place)).map((listing) => ({ service, listing })),
    );
  }

  /** Everything that would betray a hidden place: its ids (and its listings'), address, postcode, language, phone, entrance, hours. */
  traces(place: Place): { ids: string[]; texts: string[]; exact: string[] } {
    const index = this.places.indexOf(place);
    const listingIds = this.services.flatMap((s) => s.listings.filter((l) => l.place === index).flatMap((l) => [l.id, l.scheduleId]));
    return {
      ids: [place.id, place.addressId, place.languageId, place.phoneId, place.accessibilityId, place.scheduleId, ...listingIds],
      texts: [place.street, place.language, place.languageCode, place.phone, place.entrance, place.scheduleNotes],
      exact: [place.postalCode],
    };
  }

  /** The whole directory as an HSDS tabular package, for the first import and for re-imports. */
  package(services = this.services, withPlaces = true): Record<string, string> {
    const tables: Record<string, string> = {};
    if (withPlaces) {
      tables['organizations.csv'] = csv(['id', 'name', 'description'], this.providers.map((id, k) => [id, `Provider ${k}`, 'A provider']));
      tables['taxonomy_terms.csv'] = csv(['id', 'code', 'name', 'description'], [[IPV_TERM.id, IPV_TERM.code, IPV_TERM.name, 'Shelter']]);
      tables['locations.csv'] = csv(
        ['id', 'location_type', 'organization_id', 'name', 'latitude', 'longitude'],
        this.places.map((p, k) => [p.id, 'physical', this.providers[k % 2], 'Site', p.lat, p.lon]),
      );
      tables['accessibility.csv'] = csv(['id', 'location_id', 'description'], this.places.map((p) => [p.accessibilityId, p.id, p.entrance]));
      tables['addresses.csv'] = csv(
        ['id', 'location_id', 'address_1', 'city', 'state_province', 'postal_code', 'country', 'address_type'],
        this.places.map((p) => [p.addressId, p.id, p.street, 'San Mateo', 'CA', p.postalCode, 'US', 'physical']),
      );
      tables['phones.csv'] = csv(['id', 'location_id', 'number'], this.places.map((p) => [p.phoneId, p.id, p.phone]));
    }
    const listings = services.flatMap((s) => s.listings.map((l) => ({ service: s, listing: l })));
    tables['services.csv'] = csv(['id', 'organization_id', 'name', 'status'], services.map((s) => [s.id, this.providers[s.provider], s.name, 'active']));
    tables['attributes.csv'] = csv(['id', 'link_id', 'taxonomy_term_id', 'link_entity'], services.map((s) => [uuidFrom(s.id, 'a'), s.id, IPV_TERM.id, 'service']));
    tables['service_at_location.csv'] = csv(['id', 'service_id', 'location_id'], listings.map(({ service, listing }) => [listing.id, service.id, this.places[listing.place].id]));
    tables['languages.csv'] = csv(
      ['id', 'service_id', 'location_id', 'name', 'code'],
      [
        ...(withPlaces ? this.places.map((p) => [p.languageId, '', p.id, p.language, p.languageCode]) : []),
        ...services.map((s) => [uuidFrom(s.id, 'b'), s.id, '', 'Spanish', 'es']),
      ],
    );
    tables['schedules.csv'] = csv(
      ['id', 'service_id', 'location_id', 'service_at_location_id', 'freq', 'byday', 'opens_at', 'closes_at', 'notes'],
      [
        ...(withPlaces ? this.places.map((p) => [p.scheduleId, '', p.id, '', 'WEEKLY', ...window(p.openMinute), p.scheduleNotes]) : []),
        ...listings.flatMap(({ listing }) =>
          listing.openMinute === null ? [] : [[listing.scheduleId, '', '', listing.id, 'WEEKLY', ...window(listing.openMinute), '']],
        ),
      ],
    );
    return tables;
  }

  /** The listings of one service, for an import that adds them to the directory. */
  listingsPackage(service: ModelService, listings: Listing[]): Record<string, string> {
    return {
      'service_at_location.csv': csv(['id', 'service_id', 'location_id'], listings.map((l) => [l.id, service.id, this.places[l.place].id])),
      'schedules.csv': csv(
        ['id', 'service_at_location_id', 'freq', 'byday', 'opens_at', 'closes_at'],
        listings.flatMap((l) => (l.openMinute === null ? [] : [[l.scheduleId, l.id, 'WEEKLY', ...window(l.openMinute)]])),
      ),
    };
  }
}

/** An instant (ISO) inside the ten-minute window that starts at this minute of the week. */
export function instantIn(minute: number): string {
  return new Date(WEEK + (minute + 5) * 60_000).toISOString();
}

function window(minute: number): [string, string, string] {
  const day = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'][Math.floor(minute / 1440)];
  const time = (m: number) => `${String(Math.floor((m % 1440) / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return [day, time(minute), time(minute + 10)];
}

function csv(header: string[], rows: (string | number)[][]): string {
  return [header.join(','), ...rows.map((row) => row.join(','))].join('\n');
}

/** A stable second id for a row that belongs to another (a service's attribute, its language). */
function uuidFrom(id: string, tag: string): string {
  return `${id.slice(0, 35)}${tag}`;
}

function inCell(cell: { lat: number; lon: number }, jitter: number): { lat: number; lon: number } {
  return { lat: round6(cell.lat + 0.02 * jitter), lon: round6(cell.lon + 0.02 * (1 - jitter)) };
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** A point `km` away from (lat, lon) on a bearing (degrees). */
export function offset(lat: number, lon: number, km: number, bearing: number): { lat: number; lon: number } {
  const radians = (bearing * Math.PI) / 180;
  return {
    lat: round6(lat + (km * Math.cos(radians)) / 111.32),
    lon: round6(lon + (km * Math.sin(radians)) / (111.32 * Math.cos((lat * Math.PI) / 180))),
  };
}
