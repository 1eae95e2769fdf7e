import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ConsentDecision, DataCategory, RegisterReferralClientReply, RegisterReferralClientRequest } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { insertTogether, isDuplicateKey, RowToInsert, TableRow } from '@nwd/persistence';
import { Clock } from '@nwd/clock';
import { Client } from '../clients/client.entity';
import { ClientsRepository, newClient } from '../clients/clients.repository';
import { NewConsent } from '../consents/consent.record';
import { INLINE_FIELDS } from '../consents/consent-terms.check';
import { ConsentWriter } from '../consents/consent-writer';
import { ConsentsRepository } from '../consents/consents.repository';
import { ConsentDecisions } from './consent-decisions';
import { ConsentTerms, PolicyDecision } from './consent-policy';
import { ConsentVisibility } from './consent-visibility';

/** What every referral carries about the person unless it is de-identified. */
const PERSON: DataCategory[] = ['contact', 'demographics'];

/**
 * A new referral's step in the consent service, all or nothing: register an inline client
 * (or check the sender may refer the one named), record an inline consent for the receiver,
 * decide what the referral may carry. Personal data with no permitting consent is refused with
 * `consent-required` naming the categories, and nothing is written. Asked again for the same
 * referral it answers what it answered the first time and writes nothing more.
 *
 * It decides before it writes, over what it is about to write, so a new client with its consent
 * costs one statement: the key row with the reply, the client, the consent and its event.
 */
@Injectable()
export class ReferralClientRegistration {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: ClientsRepository,
    private readonly consents: ConsentsRepository,
    private readonly writer: ConsentWriter,
    private readonly decisions: ConsentDecisions,
    private readonly visibility: ConsentVisibility,
    private readonly clock: Clock,
  ) {}

  async register(request: RegisterReferralClientRequest): Promise<RegisterReferralClientReply> {
    const [result] = await this.registerBatch([request]);
    if (result!.status === 'rejected') throw result!.reason;
    return result!.value;
  }

  /**
   * Several referrals' steps (concurrent creates coalesced), each decided as if asked alone, and
   * everything the accepted ones write in one statement. The key rows carry the replies and go in the
   * same statement as the rest: one round trip, atomic without a transaction. A referral registered
   * before (a retry, or a concurrent twin) fails that statement on its key having written nothing;
   * then each step runs alone and such a one answers what the first did.
   */
  async registerBatch(requests: readonly RegisterReferralClientRequest[]): Promise<PromiseSettledResult<RegisterReferralClientReply>[]> {
    const manager = this.dataSource.manager;
    const prepared = await Promise.all(requests.map((request) => this.prepare(manager, request).then((step) => ({ step }), (refusal: unknown) => ({ refusal }))));
    const accepted = prepared.flatMap((p) => ('step' in p ? [p.step] : []));
    if (accepted.length) {
      try {
        await insertTogether(manager, accepted.flatMap((step) => [step.key, ...step.rows]));
      } catch (error) {
        if (!isDuplicateKey(error, 'referral_client_registration_pkey')) throw error;
        if (requests.length > 1) return Promise.allSettled(requests.map((request) => this.register(request)));
        const [done] = await manager.query(`SELECT reply FROM referral_client_registration WHERE referral_id = $1`, [requests[0]!.referralId]);
        return [{ status: 'fulfilled', value: done.reply as RegisterReferralClientReply }];
      }
    }
    return prepared.map((p) => ('step' in p ? { status: 'fulfilled', value: p.step.reply } : { status: 'rejected', reason: p.refusal }));
  }

  /** One step, decided: its reply, its key row carrying the reply, and its rows. Writes nothing. */
  private async prepare(manager: EntityManager, request: RegisterReferralClientRequest): Promise<{ reply: RegisterReferralClientReply; key: TableRow; rows: RowToInsert[] }> {
    if (Boolean(request.clientId) === Boolean(request.client)) {
      throw DomainError.invalid('request.validation-failed', 'Invalid client', [{ field: 'client', messages: ['exactly one of client and clientId is required'] }]);
    }
    const { reply, rows } = await this.decide(manager, request);
    const key: TableRow = { table: 'referral_client_registration', values: { referral_id: request.referralId, reply, created_at: this.clock.now() }, jsonColumns: ['reply'] };
    return { reply, key, rows };
  }

  /** What to answer and what to write; reads only (a `clientId`'s record and consents), writes nothing. */
  private async decide(manager: EntityManager, request: RegisterReferralClientRequest): Promise<{ reply: RegisterReferralClientReply; rows: RowToInsert[] }> {
    const now = this.clock.now();
    const rows: RowToInsert[] = [];
    let client: Pick<Client, 'id' | 'createdByOrganizationId'>;
    let held: ConsentTerms[] = [];
    if (request.client) {
      const registered = newClient(uuidv7(), request.senderOrganizationId, request.client, now);
      rows.push([Client, { ...registered, mergedIntoId: null, updatedAt: now }]);
      client = registered;
    } else {
      client = await this.referable(manager, request.senderOrganizationId, request.clientId!);
      held = await this.consents.forClient(client.id, manager);
    }
    const consent = request.consent ? inlineConsent(request, client.id, now) : undefined;
    if (consent) rows.push(...this.writer.rows(consent, INLINE_FIELDS));

    const carried = request.deidentified ? request.categories.filter((c) => !PERSON.includes(c)) : [...PERSON, ...request.categories];
    const decision = await this.decisions.decideOver(client, consent ? [...held, { ...consent, revokedAt: null }] : held, {
      recipientOrganizationId: request.receivingOrganizationId,
      purpose: 'referral',
      categories: ['needs-and-screening', ...carried],
      sourceOrganizationIds: [request.senderOrganizationId],
    });
    if (!request.deidentified && !decision.permitted) {
      const missing = decision.withheld.map((w) => w.category);
      throw DomainError.unprocessable('consent-required', `No consent permits the receiving organization ${missing.join(', ')}: record one, or send the referral de-identified`, {
        missing,
        withheld: decision.withheld,
      });
    }
    return { reply: { clientId: client.id, ...(consent ? { consentId: consent.id } : {}), decision: contractDecision(decision) }, rows };
  }

  private async referable(manager: EntityManager, senderOrganizationId: string, clientId: string): Promise<Client> {
    const client = await this.clients.findLive(clientId, manager);
    if (!client || !(await this.visibility.canSee(senderOrganizationId, client))) {
      throw DomainError.notFound('consent.client-not-found', `No client ${clientId} the sending organization may refer`);
    }
    return client;
  }
}

/** The referrer's consent, for the receiving organization, from now. */
function inlineConsent(request: RegisterReferralClientRequest, clientId: string, now: Date): NewConsent {
  const consent = request.consent!;
  return {
    id: uuidv7(),
    clientId,
    grantorOrganizationId: request.senderOrganizationId,
    recipients: [{ organizationId: request.receivingOrganizationId }],
    purposes: consent.purposes ?? ['referral'],
    categories: consent.categories,
    method: consent.method,
    attestedBy: consent.attestedBy ?? null,
    evidence: consent.evidence ?? null,
    effectiveFrom: now,
    expiresAt: consent.expiresAt ? new Date(consent.expiresAt) : null,
    referralId: request.referralId,
    createdByClientId: `referral:${request.senderOrganizationId}`,
    createdAt: now,
  };
}

/** The decision as the contract carries it (whether it was the recipient's own access stays here). */
export function contractDecision({ ownAccess: _own, ...decision }: PolicyDecision): ConsentDecision {
  return decision;
}
