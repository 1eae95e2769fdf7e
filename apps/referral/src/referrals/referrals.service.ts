import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { isNetworkAdmin, Principal } from '@nwd/auth';
import { PlatformStandard, REFERRAL_STATUS_EVENTS, ReferralEventPayload, ReferralEvents } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { Outbox } from '@nwd/messaging';
import { Clock } from '../clock/clock';
import { IdempotencyStore } from '../idempotency/idempotency.store';
import { ReferralLifecycle, ReferralParty } from '../loop/referral-lifecycle';
import { PlatformStandards, ReferralClockFacts, StandardsReport } from '../standards/platform-standards';
import {
  AddExceptionNoteDto,
  AddNoteDto,
  ChangeStatusDto,
  CreateReferralDto,
  ForwardReferralDto,
  ListReferralsQueryDto,
  RecordContactAttemptDto,
  RecordOutcomeKnownDto,
} from './dto/referral.dto';
import { Client } from './entities/client.entity';
import { Referral } from './entities/referral.entity';
import { ReferralTimelineEntry } from './entities/referral-timeline-entry.entity';
import { checkReceivingService, receivingServiceInvalid, ReferralWarning } from './receiving-service';
import { newReferralReference } from './referral-reference';
import { chainLinkView, clientView, referralSummary, ReferralSummary, timelineView } from './referral.view';
import { ReceivingOrganizations } from './receiving-organizations';
import { ReceivingServices } from './receiving-services';
import { ReferralsRepository, Viewer } from './referrals.repository';

/** Clocks of two machines disagree a little; an attempt "now" from a partner must not be refused as future. */
const CLOCK_SKEW_MS = 5 * 60_000;
const ACTIVE = new Set(['accepted', 'in-progress', 'on-hold']);

type Written = { referral: Referral; standards: StandardsReport };
/** A new referral as its sender gets it back: what to expect from the receiving service comes with it. */
type CreatedReferral = ReferralSummary & { warnings: ReferralWarning[] };

@Injectable()
export class ReferralsService {
  constructor(
    private readonly referrals: ReferralsRepository,
    private readonly outbox: Outbox,
    private readonly receivingOrganizations: ReceivingOrganizations,
    private readonly receivingServices: ReceivingServices,
    private readonly idempotency: IdempotencyStore,
    private readonly standards: PlatformStandards,
    private readonly clock: Clock,
  ) {}

  create(principal: Principal, input: CreateReferralDto, idempotencyKey?: string): Promise<CreatedReferral> {
    return this.idempotency.run(
      this.idempotent(principal, idempotencyKey, '/v1/referrals', input, 201),
      async (manager, warnings) => {
        const now = this.clock.now();
        const client: Client = {
          id: uuidv7(),
          createdByOrganizationId: principal.organizationId,
          givenName: input.client.givenName,
          familyName: input.client.familyName,
          birthDate: input.client.birthDate,
          phone: input.client.phone ?? null,
          email: input.client.email ?? null,
          postalCode: input.client.postalCode ?? null,
          preferredLanguage: input.client.preferredLanguage ?? null,
          interpreterNeeded: input.client.interpreterNeeded ?? false,
          contactPreference: input.client.contactPreference ?? null,
          doNotContact: input.client.doNotContact ?? false,
          createdAt: now,
        };
        const id = uuidv7();
        const referral = this.newReferral({
          id,
          chainId: id,
          clientId: client.id,
          senderOrganizationId: principal.organizationId,
          receivingOrganizationId: input.receivingOrganizationId,
          partyOrganizationIds: [principal.organizationId, input.receivingOrganizationId],
          receivingServiceId: input.receivingServiceId ?? null,
          needs: input.needs,
          urgency: input.urgency ?? 'routine',
          description: input.description ?? null,
          forwardedFromId: null,
          now,
        });
        const standards = this.applyClock(referral, now);
        await this.referrals.insertWithClient(manager, [
          client,
          referral,
          this.entry(principal, referral, now, { kind: 'status-changed', toStatus: 'requested' }),
          this.outbox.row(ReferralEvents.requested, this.payload(referral, now)),
        ]);
        return { ...referralSummary(referral, standards), warnings };
      },
      { before: () => this.assertReceivable(principal, input.receivingOrganizationId, input.receivingServiceId), oneStatement: true },
    );
  }

  async get(principal: Principal, id: string) {
    const viewer = viewerOf(principal);
    const referral = await this.referrals.getVisible(viewer, id);
    const [client, timeline, chain] = await Promise.all([
      this.referrals.client(referral.clientId),
      this.referrals.timeline(viewer, referral.id),
      this.referrals.chain(viewer, referral.chainId),
    ]);
    return {
      ...referralSummary(referral, this.evaluate(referral, this.clock.now())),
      client: clientView(client),
      timeline: timeline.map(timelineView),
      chain: chain.map(chainLinkView),
    };
  }

  async list(principal: Principal, query: ListReferralsQueryDto) {
    const limit = query.limit ?? 25;
    const sort = query.sort ?? 'created';
    const order = query.order ?? 'desc';
    const now = this.clock.now();
    const rows = await this.referrals.list(viewerOf(principal), {
      direction: query.direction,
      status: query.status,
      need: query.need,
      createdFrom: query.createdFrom ? new Date(query.createdFrom) : undefined,
      createdTo: query.createdTo ? new Date(query.createdTo) : undefined,
      overdueAt: query.overdue ? now : undefined,
      sort,
      order,
      limit: limit + 1,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((r) => referralSummary(r, this.evaluate(r, now))),
      nextCursor: rows.length > limit && last ? encodeCursor(sort === 'created' ? last.createdAt : last.updatedAt, last.id) : null,
    };
  }

  changeStatus(principal: Principal, id: string, input: ChangeStatusDto, idempotencyKey?: string): Promise<ReferralSummary> {
    return this.idempotency.run(this.idempotent(principal, idempotencyKey, `/v1/referrals/${id}/status`, input, 200), async (manager) => {
      const now = this.clock.now();
      const current = await this.referrals.getVisible(viewerOf(principal), id, manager);
      const party = this.partyOf(principal, current);
      assertVersion(current, input.version);
      ReferralLifecycle.assertTransition({ from: current.status, to: input.status, party, ...input });
      if (ReferralLifecycle.closesLoop(input.status) && input.outcome === 'client-unreachable') {
        const attempts = await this.referrals.contactAttemptTimes(manager, id, current.receivingOrganizationId);
        this.standards.assertUnreachableClosure(attempts, exceptionAt(current, 'unreachable-closure'));
      }
      const closesLoop = ReferralLifecycle.closesLoop(input.status);
      const changes: Partial<Referral> = {
        status: input.status,
        statusReason: input.reason?.trim() || null,
        ...(closesLoop ? { outcome: input.outcome!, outcomeText: input.outcomeText ?? null } : {}),
        ...(current.status === 'requested' && input.status !== 'cancelled' ? { respondedAt: now } : {}),
        ...(input.status === 'accepted' ? { acceptedAt: now } : {}),
        ...(ReferralLifecycle.isFinal(input.status) ? { closedAt: now } : {}),
      };
      const written = await this.commit(manager, principal, current, changes, now);
      await this.referrals.appendTimeline(
        manager,
        this.entry(principal, written.referral, now, {
          kind: 'status-changed',
          fromStatus: current.status,
          toStatus: input.status,
          reason: input.reason?.trim() || null,
          outcome: closesLoop ? input.outcome! : null,
          text: closesLoop ? (input.outcomeText ?? null) : null,
        }),
      );
      await this.outbox.append(manager, REFERRAL_STATUS_EVENTS[input.status], this.payload(written.referral, now));
      return referralSummary(written.referral, written.standards);
    });
  }

  /**
   * "No wrong door": the receiver passes the request on. The original ends rejected (reason
   * `forwarded`) and a new requested referral from the forwarding organization carries the same
   * client and needs; the two link both ways, and every organization of the chain sees all of it.
   */
  forward(principal: Principal, id: string, input: ForwardReferralDto, idempotencyKey?: string): Promise<CreatedReferral> {
    return this.idempotency.run(
      this.idempotent(principal, idempotencyKey, `/v1/referrals/${id}/forward`, input, 201),
      async (manager, warnings) => {
        const now = this.clock.now();
        const current = await this.referrals.getVisible(viewerOf(principal), id, manager);
        const party = this.partyOf(principal, current);
        assertVersion(current, input.version);
        ReferralLifecycle.assertForward(current.status, party);
        const forwardedId = uuidv7();
        const forwarded = this.newReferral({
          id: forwardedId,
          chainId: current.chainId,
          clientId: current.clientId,
          senderOrganizationId: principal.organizationId,
          receivingOrganizationId: input.receivingOrganizationId,
          partyOrganizationIds: [...new Set([...current.partyOrganizationIds, input.receivingOrganizationId])],
          receivingServiceId: input.receivingServiceId ?? null,
          needs: current.needs,
          urgency: current.urgency,
          description: current.description,
          forwardedFromId: current.id,
          now,
        });
        const standards = this.applyClock(forwarded, now);
        await this.referrals.insertReferral(manager, forwarded);
        const original = await this.commit(manager, principal, current, {
          status: 'rejected',
          statusReason: 'forwarded',
          respondedAt: now,
          closedAt: now,
          forwardedToId: forwardedId,
        }, now);
        await this.referrals.addChainParty(manager, current.chainId, input.receivingOrganizationId);
        const reason = input.reason.trim();
        await this.referrals.appendTimeline(manager, this.entry(principal, original.referral, now, {
          kind: 'forwarded',
          fromStatus: current.status,
          toStatus: 'rejected',
          reason,
          relatedReferralId: forwardedId,
        }));
        await this.referrals.appendTimeline(manager, this.entry(principal, forwarded, now, {
          kind: 'status-changed',
          toStatus: 'requested',
          reason,
          relatedReferralId: current.id,
        }));
        await this.outbox.append(manager, ReferralEvents.forwarded, this.payload(original.referral, now, {
          forwardedToReferralId: forwardedId,
          forwardedToOrganizationId: input.receivingOrganizationId,
        }));
        await this.outbox.append(manager, ReferralEvents.requested, this.payload(forwarded, now, { forwardedFromReferralId: current.id }));
        return { ...referralSummary(forwarded, standards), warnings };
      },
      { before: () => this.assertReceivable(principal, input.receivingOrganizationId, input.receivingServiceId) },
    );
  }

  /**
   * A shared note is news for the other organization (an event, a new version, and the receiver's
   * notes keep the first-note and note-cadence standards); an internal note is only written down.
   */
  addNote(principal: Principal, id: string, input: AddNoteDto, idempotencyKey?: string) {
    return this.idempotency.run(this.idempotent(principal, idempotencyKey, `/v1/referrals/${id}/notes`, input, 201), async (manager) => {
      const now = this.clock.now();
      const current = await this.referrals.lockForParty(manager, principal.organizationId, id);
      const party = this.partyOf(principal, current);
      const text = input.text.trim();
      if (input.visibility === 'internal') {
        const entry = this.entry(principal, current, now, { kind: 'note', visibility: 'internal', text });
        await this.referrals.appendTimeline(manager, entry);
        return timelineView(entry);
      }
      const changes: Partial<Referral> = {};
      if (party === 'receiver') {
        changes.lastNoteAt = now;
        if (current.acceptedAt && !current.firstNoteAt) changes.firstNoteAt = now;
      }
      const written = await this.commit(manager, principal, current, changes, now);
      const entry = this.entry(principal, written.referral, now, { kind: 'note', text });
      await this.referrals.appendTimeline(manager, entry);
      await this.outbox.append(manager, ReferralEvents.noteAdded, this.payload(written.referral, now));
      return timelineView(entry);
    });
  }

  recordContactAttempt(principal: Principal, id: string, input: RecordContactAttemptDto, idempotencyKey?: string) {
    return this.idempotency.run(
      this.idempotent(principal, idempotencyKey, `/v1/referrals/${id}/contact-attempts`, input, 201),
      async (manager) => {
        const now = this.clock.now();
        const current = await this.referrals.lockForParty(manager, principal.organizationId, id);
        if (this.partyOf(principal, current) !== 'receiver') {
          throw DomainError.forbidden('referral.wrong-party', 'Contact attempts are recorded by the receiving organization');
        }
        assertOpen(current);
        const at = new Date(input.at);
        if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) throw fieldError('at', 'at must not be in the future');
        if (at < current.createdAt) throw fieldError('at', 'at must not be before the referral was made');
        const written = await this.commit(manager, principal, current, {}, now);
        const entry = this.entry(principal, written.referral, now, {
          kind: 'contact-attempt',
          occurredAt: at,
          channel: input.channel,
          result: input.result,
          text: input.note?.trim() || null,
        });
        await this.referrals.appendTimeline(manager, entry);
        await this.outbox.append(manager, ReferralEvents.contactAttempted, this.payload(written.referral, now));
        return timelineView(entry);
      },
    );
  }

  /** Explains a breach of a platform standard (or, before closing, why fewer contact attempts were possible). */
  addExceptionNote(principal: Principal, id: string, input: AddExceptionNoteDto, idempotencyKey?: string): Promise<ReferralSummary> {
    return this.idempotency.run(
      this.idempotent(principal, idempotencyKey, `/v1/referrals/${id}/exceptions`, input, 201),
      async (manager) => {
        const now = this.clock.now();
        const current = await this.referrals.lockForParty(manager, principal.organizationId, id);
        this.partyOf(principal, current);
        this.standards.assertExceptionApplies(input.standard, this.evaluate(current, now), current.status);
        const written = await this.commit(manager, principal, current, {
          standardExceptions: { ...current.standardExceptions, [input.standard]: now.toISOString() },
        }, now);
        await this.referrals.appendTimeline(manager, this.entry(principal, written.referral, now, {
          kind: 'exception',
          standard: input.standard,
          text: input.text.trim(),
        }));
        await this.outbox.append(manager, ReferralEvents.exceptionNoted, { ...this.payload(written.referral, now), standard: input.standard });
        return referralSummary(written.referral, written.standards);
      },
    );
  }

  /** The day the receiver learned the outcome starts the close-within-2-business-days standard. */
  recordOutcomeKnown(principal: Principal, id: string, input: RecordOutcomeKnownDto, idempotencyKey?: string): Promise<ReferralSummary> {
    return this.idempotency.run(
      this.idempotent(principal, idempotencyKey, `/v1/referrals/${id}/outcome-known`, input, 200),
      async (manager) => {
        const now = this.clock.now();
        const current = await this.referrals.lockForParty(manager, principal.organizationId, id);
        if (this.partyOf(principal, current) !== 'receiver') {
          throw DomainError.forbidden('referral.wrong-party', 'The receiving organization records when the outcome became known');
        }
        if (!ACTIVE.has(current.status)) {
          throw DomainError.conflict('referral.not-active', `The outcome-known date is recorded on an accepted case; this referral is ${current.status}`, {
            status: current.status,
          });
        }
        const knownAt = new Date(input.knownAt);
        if (knownAt.getTime() > now.getTime() + CLOCK_SKEW_MS) throw fieldError('knownAt', 'knownAt must not be in the future');
        if (current.acceptedAt && knownAt < current.acceptedAt) throw fieldError('knownAt', 'knownAt must not be before the referral was accepted');
        const written = await this.commit(manager, principal, current, { outcomeKnownAt: knownAt }, now);
        await this.referrals.appendTimeline(manager, this.entry(principal, written.referral, now, { kind: 'outcome-known', occurredAt: knownAt }));
        await this.outbox.append(manager, ReferralEvents.outcomeKnown, { ...this.payload(written.referral, now), outcomeKnownAt: knownAt.toISOString() });
        return referralSummary(written.referral, written.standards);
      },
    );
  }

  /**
   * The receiving organization must be a member in good standing, and a named service must be one of
   * its listings taking referrals — both asked of the directory, which owns membership and listings.
   */
  private async assertReceivable(principal: Principal, organizationId: string, serviceId?: string): Promise<ReferralWarning[]> {
    if (organizationId === principal.organizationId) {
      throw fieldError('receivingOrganizationId', 'receivingOrganizationId must be another organization than yours');
    }
    try {
      const organization = await this.receivingOrganizations.find(organizationId);
      if (organization.status !== 'active') {
        throw DomainError.unprocessable('referral.organization-not-active', `${organization.name} is ${organization.status} and cannot receive referrals`, {
          receivingOrganizationId: organizationId,
        });
      }
    } catch (error) {
      if (error instanceof DomainError && error.code === 'directory.organization-not-found') {
        throw fieldError('receivingOrganizationId', 'receivingOrganizationId is not an organization of the network');
      }
      throw error;
    }
    if (!serviceId) return [];
    const service = await this.receivingServices.find(serviceId).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'directory.service-not-found') {
        throw receivingServiceInvalid('receivingServiceId is not a service in the directory');
      }
      throw error;
    });
    return checkReceivingService(service, organizationId);
  }

  /** Writes a change at the version read, moving the version on and re-reckoning the due dates. */
  private async commit(manager: EntityManager, principal: Principal, current: Referral, changes: Partial<Referral>, now: Date): Promise<Written> {
    const referral = Object.assign(new Referral(), current, changes, { version: current.version + 1, updatedAt: now });
    const standards = this.applyClock(referral, now);
    const updated = await this.referrals.updateAtVersion(manager, principal.organizationId, current.id, current.version, {
      ...changes,
      version: referral.version,
      updatedAt: now,
      respondDueAt: referral.respondDueAt,
      firstNoteDueAt: referral.firstNoteDueAt,
      closeDueAt: referral.closeDueAt,
      noteCadenceDueAt: referral.noteCadenceDueAt,
      nextDueAt: referral.nextDueAt,
    });
    if (!updated) throw staleVersion(current.id);
    return { referral, standards };
  }

  private applyClock(referral: Referral, now: Date): StandardsReport {
    const report = this.evaluate(referral, now);
    const at = (standard: keyof StandardsReport['dueDates']) => (report.dueDates[standard] ? new Date(report.dueDates[standard]!.dueAt) : null);
    referral.respondDueAt = at('respond')!;
    referral.firstNoteDueAt = at('first-note');
    referral.closeDueAt = at('close');
    referral.noteCadenceDueAt = at('note-cadence');
    referral.nextDueAt = report.nextDueAt;
    return report;
  }

  private evaluate(referral: Referral, now: Date): StandardsReport {
    return this.standards.evaluate(clockFacts(referral), now);
  }

  private newReferral(fields: Pick<
    Referral,
    | 'id'
    | 'chainId'
    | 'clientId'
    | 'senderOrganizationId'
    | 'receivingOrganizationId'
    | 'partyOrganizationIds'
    | 'receivingServiceId'
    | 'needs'
    | 'urgency'
    | 'description'
    | 'forwardedFromId'
  > & { now: Date }): Referral {
    const { now, ...rest } = fields;
    return Object.assign(new Referral(), rest, {
      reference: newReferralReference(),
      status: 'requested',
      statusReason: null,
      version: 1,
      outcome: null,
      outcomeText: null,
      outcomeKnownAt: null,
      forwardedToId: null,
      respondedAt: null,
      acceptedAt: null,
      closedAt: null,
      firstNoteAt: null,
      lastNoteAt: null,
      standardExceptions: {},
      createdAt: now,
      updatedAt: now,
    } satisfies Partial<Referral>);
  }

  private entry(principal: Principal, referral: Referral, now: Date, fields: Partial<ReferralTimelineEntry> & Pick<ReferralTimelineEntry, 'kind'>): ReferralTimelineEntry {
    return Object.assign(new ReferralTimelineEntry(), {
      id: uuidv7(),
      referralId: referral.id,
      authorOrganizationId: principal.organizationId,
      authorClientId: principal.subject,
      visibility: 'shared',
      occurredAt: now,
      recordedAt: now,
      version: referral.version,
      fromStatus: null,
      toStatus: null,
      reason: null,
      outcome: null,
      text: null,
      channel: null,
      result: null,
      standard: null,
      relatedReferralId: null,
      ...fields,
    } satisfies ReferralTimelineEntry);
  }

  private payload(referral: Referral, now: Date, extra: Partial<ReferralEventPayload> = {}): ReferralEventPayload {
    return {
      referralId: referral.id,
      senderOrganizationId: referral.senderOrganizationId,
      receivingOrganizationId: referral.receivingOrganizationId,
      status: referral.status,
      needs: referral.needs,
      ...(referral.outcome ? { outcome: referral.outcome } : {}),
      version: referral.version,
      occurredAt: now.toISOString(),
      ...extra,
    };
  }

  /** Sender or receiver. Others who can see the referral (network admins, earlier links of a forward chain) cannot act on it. */
  private partyOf(principal: Principal, referral: Referral): ReferralParty {
    if (referral.senderOrganizationId === principal.organizationId) return 'sender';
    if (referral.receivingOrganizationId === principal.organizationId) return 'receiver';
    throw DomainError.forbidden('referral.not-a-party', 'Only the sending and the receiving organization act on a referral');
  }

  private idempotent(principal: Principal, key: string | undefined, path: string, body: object, status: number) {
    return { organizationId: principal.organizationId, key, fingerprint: IdempotencyStore.fingerprint('POST', path, body), status };
  }
}

function viewerOf(principal: Principal): Viewer {
  return { organizationId: principal.organizationId, networkAdmin: isNetworkAdmin(principal) };
}

function clockFacts(referral: Referral): ReferralClockFacts {
  const exceptions: ReferralClockFacts['exceptions'] = {};
  for (const [standard, at] of Object.entries(referral.standardExceptions ?? {})) exceptions[standard as PlatformStandard] = new Date(at);
  return {
    status: referral.status,
    requestedAt: referral.createdAt,
    respondedAt: referral.respondedAt,
    acceptedAt: referral.acceptedAt,
    closedAt: referral.closedAt,
    firstNoteAt: referral.firstNoteAt,
    lastNoteAt: referral.lastNoteAt,
    outcomeKnownAt: referral.outcomeKnownAt,
    exceptions,
  };
}

function exceptionAt(referral: Referral, standard: PlatformStandard): Date | undefined {
  const at = referral.standardExceptions?.[standard];
  return at ? new Date(at) : undefined;
}

function assertVersion(referral: Referral, version: number): void {
  if (referral.version !== version) {
    throw DomainError.conflict('referral.version-conflict', `The referral changed since you read it (you sent version ${version}, it is at ${referral.version}); read it again`, {
      currentVersion: referral.version,
    });
  }
}

function assertOpen(referral: Referral): void {
  if (ReferralLifecycle.isFinal(referral.status)) {
    throw DomainError.conflict('referral.final', `The referral is ${referral.status}`, { status: referral.status });
  }
}

function staleVersion(id: string): DomainError {
  return DomainError.conflict('referral.version-conflict', `Referral ${id} changed while this request was being handled; read it again`);
}

function fieldError(field: string, message: string): DomainError {
  return DomainError.invalid('request.validation-failed', `Invalid ${field}`, [{ field, messages: [message] }]);
}

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { at: date, id };
  } catch {
    throw fieldError('cursor', 'cursor must be the nextCursor of a previous page');
  }
}
