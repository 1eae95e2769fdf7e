import { Injectable } from '@nestjs/common';
import { ClientDetails } from '@nwd/contracts';
import { DataSource, EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

/** Who registered a client and where a merge sent it: what consent decisions ask of the register. */
export interface ClientOwnership {
  id: string;
  createdByOrganizationId: string;
  mergedIntoId: string | null;
}

export type ClientRow = ClientOwnership & Required<Omit<ClientDetails, 'phone' | 'email' | 'postalCode' | 'preferredLanguage' | 'contactPreference' | 'sex' | 'genderIdentity'>> &
  Pick<ClientDetails, 'phone' | 'email' | 'postalCode' | 'preferredLanguage' | 'contactPreference' | 'sex' | 'genderIdentity'>;

/**
 * The few reads and the one write of the client register that consents and decisions need. The
 * register's own API (search, duplicates, merge) lives in the clients capability.
 */
@Injectable()
export class ClientRecords {
  constructor(private readonly dataSource: DataSource) {}

  async ownership(id: string, manager: Queryable = this.dataSource): Promise<ClientOwnership | undefined> {
    const [row] = await manager.query(`SELECT id, created_by_organization_id, merged_into_id FROM client WHERE id = $1`, [id]);
    return row ? { id: row.id, createdByOrganizationId: row.created_by_organization_id, mergedIntoId: row.merged_into_id } : undefined;
  }

  /** The record a client id stands for now: itself, or the survivor it was merged into. */
  async current(id: string, manager: Queryable = this.dataSource): Promise<ClientOwnership | undefined> {
    let client = await this.ownership(id, manager);
    // Merges chain only as far as org-admins merged survivors again; the bound guards against a cycle written by hand.
    for (let hops = 0; client?.mergedIntoId && hops < 8; hops++) client = await this.ownership(client.mergedIntoId, manager);
    return client;
  }

  async details(id: string, manager: Queryable = this.dataSource): Promise<ClientRow | undefined> {
    const [row] = await manager.query(`SELECT *, to_char(birth_date, 'YYYY-MM-DD') AS birth_day FROM client WHERE id = $1`, [id]);
    if (!row) return undefined;
    return {
      id: row.id,
      createdByOrganizationId: row.created_by_organization_id,
      mergedIntoId: row.merged_into_id,
      givenName: row.given_name,
      familyName: row.family_name,
      birthDate: row.birth_day,
      phone: row.phone,
      email: row.email,
      postalCode: row.postal_code,
      preferredLanguage: row.preferred_language,
      interpreterNeeded: row.interpreter_needed,
      contactPreference: row.contact_preference,
      doNotContact: row.do_not_contact,
      race: row.race,
      ethnicity: row.ethnicity,
      sex: row.sex,
      genderIdentity: row.gender_identity,
    };
  }

  async register(manager: EntityManager, id: string, organizationId: string, details: ClientDetails, now: Date): Promise<void> {
    await manager.query(
      `INSERT INTO client (id, created_by_organization_id, given_name, family_name, birth_date, phone, email, postal_code, preferred_language,
                           interpreter_needed, contact_preference, do_not_contact, race, ethnicity, sex, gender_identity, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)`,
      [
        id,
        organizationId,
        details.givenName,
        details.familyName,
        details.birthDate,
        details.phone ?? null,
        details.email ?? null,
        details.postalCode ?? null,
        details.preferredLanguage ?? null,
        details.interpreterNeeded ?? false,
        details.contactPreference ?? null,
        details.doNotContact ?? false,
        details.race ?? [],
        details.ethnicity ?? [],
        details.sex ?? null,
        details.genderIdentity ?? null,
        now,
      ],
    );
  }
}
