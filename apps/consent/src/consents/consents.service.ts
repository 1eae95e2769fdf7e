import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { isNetworkAdmin, Principal } from '@nwd/auth';
import { ConsentEvents } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { Outbox } from '@nwd/messaging';
import { Clock } from '@nwd/clock';
import { ConsentVisibility } from '../decisions/consent-visibility';
import { Client } from '../clients/client.entity';
import { ClientsRepository } from '../clients/clients.repository';
import { ConsentRecord, ConsentView, NewConsent, viewOf } from './consent.record';
import { API_FIELDS, TermFields } from './consent-terms.check';
import { ConsentWriter } from './consent-writer';
import { ConsentsRepository } from './consents.repository';

/** A consent's terms as the API or a FHIR import gives them, before ids and times are set. */
export type ConsentTermsInput = Pick<NewConsent, 'recipients' | 'purposes' | 'categories' | 'method'> & {
  clientId: string;
  attestedBy?: string | null;
  evidence?: string | null;
  start?: Date;
  end?: Date | null;
};

/**
 * Recording, reading and revoking consents. An organization records consents for clients it
 * registered or may see; a consent is shown to the organization that recorded it, the one that
 * registered the client, the recipients it names, and network admins — to anyone else it does
 * not exist.
 */
@Injectable()
export class ConsentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly consents: ConsentsRepository,
    private readonly clients: ClientsRepository,
    private readonly writer: ConsentWriter,
    private readonly visibility: ConsentVisibility,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async create(principal: Principal, input: ConsentTermsInput, fields: TermFields = API_FIELDS): Promise<ConsentView> {
    const client = await this.clients.findLive(input.clientId);
    if (!client || !(await this.visibility.canSee(principal.organizationId, client))) {
      throw DomainError.invalid('request.validation-failed', `Invalid ${fields.clientId}`, [
        { field: fields.clientId, messages: ['must be a client your organization registered or may see'] },
      ]);
    }
    const now = this.clock.now();
    const consent: NewConsent = {
      id: uuidv7(),
      clientId: client.id,
      grantorOrganizationId: principal.organizationId,
      recipients: input.recipients,
      purposes: [...new Set(input.purposes)],
      categories: [...new Set(input.categories)],
      method: input.method,
      attestedBy: input.attestedBy ?? null,
      evidence: input.evidence ?? null,
      effectiveFrom: input.start ?? now,
      expiresAt: input.end ?? null,
      referralId: null,
      createdByClientId: principal.subject,
      createdAt: now,
    };
    await this.dataSource.transaction((manager) => this.writer.grant(manager, consent, fields));
    return viewOf((await this.consents.get(consent.id))!, now);
  }

  async get(principal: Principal, id: string): Promise<ConsentView> {
    return viewOf(await this.readable(principal, id), this.clock.now());
  }

  /** The record itself (for a FHIR export), under the same visibility as `get`. */
  async record(principal: Principal, id: string): Promise<ConsentRecord> {
    return this.readable(principal, id);
  }

  async listForClient(principal: Principal, clientId: string): Promise<ConsentView[]> {
    const client = await this.clients.findLive(clientId);
    if (!client || !(await this.visibility.canSee(principal.organizationId, client))) {
      if (!isNetworkAdmin(principal)) throw DomainError.notFound('consent.client-not-found', `No client ${clientId}`);
    }
    const now = this.clock.now();
    const held = await this.consents.forClient(client?.id ?? clientId);
    return held.filter((consent) => client && this.mayRead(principal, consent, client)).map((consent) => viewOf(consent, now));
  }

  /** Revokes the whole consent, or (with `organizationId`) its rule for that recipient; asked again, it changes nothing. */
  async revoke(principal: Principal, id: string, organizationId?: string): Promise<ConsentView> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const consent = await this.consents.lock(manager, id);
      const client = consent && (await this.clients.find(consent.clientId, manager));
      if (!consent || !client || !this.mayRead(principal, consent, client)) throw notFound(id);
      if (principal.organizationId !== consent.grantorOrganizationId && principal.organizationId !== client.createdByOrganizationId) {
        throw DomainError.forbidden('consent.revoke-forbidden', 'Only the organization that recorded the consent, or the one that registered the client, may revoke it');
      }
      if (consent.revokedAt) return;
      if (organizationId) {
        if (!consent.recipients.some((rule) => rule.organizationId === organizationId)) {
          throw DomainError.invalid('request.validation-failed', 'Invalid organizationId', [{ field: 'organizationId', messages: ['the consent names no such recipient'] }]);
        }
        if (!(await this.consents.revokeRecipient(manager, id, organizationId, now))) return;
      } else {
        await this.consents.revokeAll(manager, id, now);
      }
      await this.outbox.append(manager, ConsentEvents.revoked, {
        consentId: id,
        clientId: consent.clientId,
        ...(organizationId ? { organizationId } : {}),
        occurredAt: now.toISOString(),
      });
    });
    return viewOf((await this.consents.get(id))!, now);
  }

  private async readable(principal: Principal, id: string): Promise<ConsentRecord> {
    const consent = await this.consents.get(id);
    const client = consent && (await this.clients.find(consent.clientId));
    if (!consent || !client || !this.mayRead(principal, consent, client)) throw notFound(id);
    return consent;
  }

  private mayRead(principal: Principal, consent: ConsentRecord, client: Client): boolean {
    const org = principal.organizationId;
    return (
      isNetworkAdmin(principal) ||
      org === consent.grantorOrganizationId ||
      org === client.createdByOrganizationId ||
      consent.recipients.some((rule) => rule.organizationId === org)
    );
  }
}

function notFound(id: string): DomainError {
  return DomainError.notFound('consent.not-found', `No consent ${id}`);
}
