import { Clock } from '@nwd/clock';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConsentRequests, HandedOverClient } from '@nwd/contracts';
import { PeriodicTask } from '@nwd/http';
import { MessagingClient } from '@nwd/messaging';
import { ReferralConfig } from '../referral.config';

interface HandoverRow {
  id: string;
  created_by_organization_id: string;
  given_name: string;
  family_name: string;
  birth_date: string;
  phone: string | null;
  email: string | null;
  postal_code: string | null;
  preferred_language: string | null;
  interpreter_needed: boolean;
  contact_preference: HandedOverClient['details']['contactPreference'];
  do_not_contact: boolean;
  created_at: Date;
}

/**
 * Moves the clients this service held before the register moved (`client_handover`) into the
 * consent service, a batch at a time: each batch is sent with `ConsentRequests.handOverClients`,
 * and exactly the ids the register confirms are deleted here. A consent service that is down or
 * refuses loses nothing: the rows stay and the next run offers them again (the request is
 * idempotent by client id, so two instances sending the same batch do no harm). Runs at boot and
 * then every NWD_CLIENT_HANDOVER_INTERVAL_SECONDS until the table is empty.
 */
@Injectable()
export class ClientHandoverTask extends PeriodicTask implements OnApplicationBootstrap {
  private readonly log = new Logger(ClientHandoverTask.name);
  private empty = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly messaging: MessagingClient,
    private readonly config: ReferralConfig,
    clock: Clock,
  ) {
    super(clock, config.NWD_CLIENT_HANDOVER_INTERVAL_SECONDS);
  }

  override onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    if (this.config.NWD_CLIENT_HANDOVER_INTERVAL_SECONDS > 0) void this.run().catch((error) => this.log.warn(`client hand-over will be retried: ${(error as Error).message}`));
  }

  /** Hands over every row still held; returns how many moved. Throws (keeping the rest) when the consent service does not confirm. */
  async run(): Promise<number> {
    if (this.empty) return 0;
    let moved = 0;
    for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
      const rows: HandoverRow[] = await this.dataSource.query(
        `SELECT id, created_by_organization_id, given_name, family_name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, phone, email,
           postal_code, preferred_language, interpreter_needed, contact_preference, do_not_contact, created_at
         FROM client_handover WHERE id > $1 ORDER BY id LIMIT $2`,
        [after, this.config.NWD_CLIENT_HANDOVER_BATCH_SIZE],
      );
      if (!rows.length) break;
      const { registered } = await this.messaging.request(ConsentRequests.handOverClients, { clients: rows.map(handedOver) }, { timeoutMs: 10_000 });
      const offered = rows.map((row) => row.id);
      // Only ids both offered and confirmed: a reply naming anything else deletes nothing else.
      const [, deleted] = (await this.dataSource.query(`DELETE FROM client_handover WHERE id = ANY($1::uuid[]) AND id = ANY($2::uuid[])`, [
        registered,
        offered,
      ])) as [unknown, number];
      moved += deleted;
      after = offered[offered.length - 1]!;
    }
    const [{ left }] = await this.dataSource.query(`SELECT count(*)::int AS left FROM client_handover`);
    this.empty = left === 0;
    if (moved) this.log.log(`handed ${moved} clients over to the consent service; ${left} left`);
    return moved;
  }
}

function handedOver(row: HandoverRow): HandedOverClient {
  return {
    id: row.id,
    createdByOrganizationId: row.created_by_organization_id,
    createdAt: row.created_at.toISOString(),
    details: {
      givenName: row.given_name,
      familyName: row.family_name,
      birthDate: row.birth_date,
      phone: row.phone,
      email: row.email,
      postalCode: row.postal_code,
      preferredLanguage: row.preferred_language,
      interpreterNeeded: row.interpreter_needed,
      contactPreference: row.contact_preference,
      doNotContact: row.do_not_contact,
    },
  };
}
