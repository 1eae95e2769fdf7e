import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { actorOf, Principal, viewerOf } from '@nwd/auth';
import { REFERRAL_STATUS_EVENTS, ReferralEvents } from '@nwd/contracts';
import { Clock } from '@nwd/clock';
import { carriedCategories, ConsentGateway } from '../consent/consent-gateway';
import { firstSenderOf, ReferralDisclosure, statusReasonAuthor } from '../consent/referral-disclosure';
import { IdempotencyStore, IdempotentRequest } from '../idempotency/idempotency.store';
import { ReferralLifecycle } from '../loop/referral-lifecycle';
import { Receivers } from '../receiving/receivers';
import { ReferralWarning } from '../receiving/receiving-service.check';
import { PlatformStandards } from '../standards/platform-standards';
// The request DTOs, as the controller validated them.
import type * as Requests from './dto/referral.dto';
import { ReferralCursor } from './referral-cursor';
import { exceptionAt, ReferralDueDates } from './referral-due-dates';
import { ReferralFactory } from './referral.factory';
import { chainLinkView, referralSummary, ReferralSummary, timelineView } from './referral.view';
import { ReferralWriter } from './referral-writer';
import { ReferralsRepository } from './referrals.repository';

/** A new referral as its sender gets it back: what to expect from the receiving service comes with it. */
type CreatedReferral = ReferralSummary & { clientId?: string; warnings: ReferralWarning[] };

@Injectable()
export class ReferralsService {
  constructor(
    private readonly referrals: ReferralsRepository,
    private readonly writer: ReferralWriter,
    private readonly receivers: Receivers,
    private readonly idempotency: IdempotencyStore,
    private readonly standards: PlatformStandards,
    private readonly dueDates: ReferralDueDates,
    private readonly clock: Clock,
    private readonly consent: ConsentGateway,
    private readonly disclosure: ReferralDisclosure,
  ) {}

  /**
   * A new referral. Its id is chosen first, so that the consent service's step (register the
   * client or check `clientId`, record the inline consent, decide) is idempotent by it; that step
   * runs before the referral's own statement and, refused, leaves nothing written here. A replayed
   * Idempotency-Key answers as the first time without asking anyone; a retry of a keyed request
   * that never committed gets the same id, so the consent service's step is the same step.
   */
  create(principal: Principal, input: Requests.CreateReferralDto, request: IdempotentRequest): Promise<CreatedReferral> {
    const deidentified = input.deidentified ?? false;
    const before = async () => {
      const referralId = await this.newReferralId(request);
      const warnings = await this.receivers.assertReceivable(principal, input.receivingOrganizationId, input.receivingServiceId);
      const registered = await this.consent.registerForReferral({
        referralId,
        senderOrganizationId: principal.organizationId,
        receivingOrganizationId: input.receivingOrganizationId,
        ...(input.clientId ? { clientId: input.clientId } : { client: input.client }),
        ...(input.consent ? { consent: input.consent } : {}),
        deidentified,
        // Besides the person (which the consent service adds unless de-identified): the description, as notes.
        categories: !deidentified && input.description ? ['notes'] : [],
      });
      return { referralId, warnings, registered };
    };
    return this.idempotency.run(
      request,
      async (manager, { referralId, warnings, registered }) => {
        const now = this.clock.now();
        const actor = actorOf(principal);
        const referral = ReferralFactory.referral(actor, {
          id: referralId,
          clientId: registered.clientId,
          deidentified,
          consentIds: deidentified ? [] : registered.decision.consentIds,
          receivingOrganizationId: input.receivingOrganizationId,
          partyOrganizationIds: [actor.organizationId, input.receivingOrganizationId],
          receivingServiceId: input.receivingServiceId ?? null,
          needs: input.needs,
          urgency: input.urgency ?? 'routine',
          description: input.description ?? null,
          forwardedFromId: null,
        }, now);
        const standards = this.dueDates.reckon(referral, now);
        await this.referrals.insertNew(manager, actor, [
          referral,
          ReferralFactory.entry(actor, referral, now, { kind: 'status-changed', toStatus: 'requested' }),
          this.writer.outbox.row(ReferralEvents.requested, ReferralFactory.payload(referral, now)),
        ], this.writer.reminders.rowsFor(referral));
        return { ...referralSummary(referral, standards), clientId: registered.clientId, warnings };
      },
      { before, oneStatement: true },
    );
  }

  /**
   * The keyed request's derived id, unless a referral already has it: then an earlier use of the
   * key, since expired, made it, and this is a new request (a live key was answered before this).
   */
  private async newReferralId(request: IdempotentRequest): Promise<string> {
    const stable = IdempotencyStore.stableId(request);
    return stable && !(await this.referrals.idTaken(stable)) ? stable : uuidv7();
  }

  /** The referral with what the reader may see of its client and of other organizations' free text. */
  async get(principal: Principal, id: string) {
    const viewer = viewerOf(principal);
    const referral = await this.referrals.getVisible(viewer, id);
    const [timeline, chain] = await Promise.all([this.referrals.timeline(viewer, referral.id), this.referrals.chain(viewer, referral.chainId)]);
    const access = await this.disclosure.forReader(viewer, referral, timeline, chain);
    return {
      ...referralSummary(referral, this.dueDates.evaluate(referral, this.clock.now())),
      statusReason: access.textOf(statusReasonAuthor(referral, timeline), referral.statusReason),
      outcomeText: access.textOf(referral.receivingOrganizationId, referral.outcomeText),
      deidentified: referral.deidentified,
      client: access.client,
      description: access.textOf(firstSenderOf(referral, chain), referral.description),
      ...(access.redisclosureNotice ? { redisclosureNotice: access.redisclosureNotice } : {}),
      timeline: timeline.map((entry) => timelineView(entry, access.textBy(entry.authorOrganizationId))),
      chain: chain.map(chainLinkView),
    };
  }

  async list(principal: Principal, query: Requests.ListReferralsQueryDto) {
    const { limit = 25, sort = 'created', order = 'desc' } = query;
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
      after: query.cursor ? ReferralCursor.decode(query.cursor) : undefined,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((r) => referralSummary(r, this.dueDates.evaluate(r, now))),
      nextCursor: rows.length > limit && last ? ReferralCursor.encode({ at: sort === 'created' ? last.createdAt : last.updatedAt, id: last.id }) : null,
    };
  }

  changeStatus(principal: Principal, id: string, input: Requests.ChangeStatusDto, request: IdempotentRequest): Promise<ReferralSummary> {
    return this.writer.mutate(principal, request, id, { version: input.version }, async (change) => {
      const { current, party, now } = change;
      ReferralLifecycle.assertTransition({ from: current.status, to: input.status, party, ...input });
      const closesLoop = ReferralLifecycle.closesLoop(input.status);
      if (closesLoop && input.outcome === 'client-unreachable') {
        const attempts = await this.referrals.contactAttemptTimes(change.manager, change.actor, current);
        this.standards.assertUnreachableClosure(attempts, exceptionAt(current, 'unreachable-closure'));
      }
      const reason = input.reason?.trim() || null;
      const referral = await change.commit({
        status: input.status,
        statusReason: reason,
        ...(closesLoop ? { outcome: input.outcome!, outcomeText: input.outcomeText ?? null } : {}),
        ...ReferralLifecycle.stampsOf(current.status, input.status, now),
      });
      change.record(referral, {
        kind: 'status-changed',
        fromStatus: current.status,
        toStatus: input.status,
        reason,
        outcome: closesLoop ? input.outcome! : null,
        text: closesLoop ? (input.outcomeText ?? null) : null,
      });
      change.announce(REFERRAL_STATUS_EVENTS[input.status], referral);
      return change.summary();
    });
  }

  /**
   * "No wrong door": the receiver passes the request on. The original ends rejected (reason
   * `forwarded`) and a new requested referral from the forwarding organization carries the same
   * client and needs; the two link both ways, and every organization of the chain sees all of it.
   */
  forward(principal: Principal, id: string, input: Requests.ForwardReferralDto, request: IdempotentRequest): Promise<CreatedReferral> {
    const before = async () => {
      const warnings = await this.receivers.assertReceivable(principal, input.receivingOrganizationId, input.receivingServiceId);
      return { warnings, consentIds: await this.consentToForward(principal, id, input.receivingOrganizationId) };
    };
    return this.writer.mutate(principal, request, id, { version: input.version, before }, async (change, { warnings, consentIds }) => {
      const { current, party, now, actor } = change;
      ReferralLifecycle.assertForward(current.status, party);
      const forwarded = ReferralFactory.referral(actor, {
        chainId: current.chainId,
        clientId: current.clientId,
        deidentified: current.deidentified,
        consentIds: consentIds ?? [],
        receivingOrganizationId: input.receivingOrganizationId,
        partyOrganizationIds: [...new Set([...current.partyOrganizationIds, input.receivingOrganizationId])],
        receivingServiceId: input.receivingServiceId ?? null,
        needs: current.needs,
        urgency: current.urgency,
        description: current.description,
        forwardedFromId: current.id,
      }, now);
      const standards = await change.start(forwarded);
      const original = await change.commit({
        status: 'rejected',
        statusReason: 'forwarded',
        forwardedToId: forwarded.id,
        ...ReferralLifecycle.stampsOf(current.status, 'rejected', now),
      });
      await this.referrals.addChainParty(change.manager, actor, current.chainId, input.receivingOrganizationId);
      const reason = input.reason.trim();
      change.record(original, { kind: 'forwarded', fromStatus: current.status, toStatus: 'rejected', reason, relatedReferralId: forwarded.id });
      change.record(forwarded, { kind: 'status-changed', toStatus: 'requested', reason, relatedReferralId: current.id });
      change.announce(ReferralEvents.forwarded, original, { forwardedToReferralId: forwarded.id, forwardedToOrganizationId: input.receivingOrganizationId });
      change.announce(ReferralEvents.requested, forwarded, { forwardedFromReferralId: current.id });
      return { ...referralSummary(forwarded, standards), warnings };
    });
  }

  /**
   * The client's data goes on to the new receiver only under a consent for it: decided here (and
   * refused with `consent-required`), never assumed from the consent the forwarder relied on. The
   * records of every organization of the chain travel with it, so a substance-use program's never
   * pass a forward. Only the receiver's forward of a referral it may forward is asked about: anyone
   * else gets the step's own refusal. Returns the consents relied on; undefined when nothing was asked.
   */
  private async consentToForward(principal: Principal, id: string, recipientOrganizationId: string): Promise<string[] | undefined> {
    const current = await this.referrals.getVisible(viewerOf(principal), id);
    if (current.receivingOrganizationId !== principal.organizationId || current.deidentified) return undefined;
    ReferralLifecycle.assertForward(current.status, 'receiver');
    const decision = await this.consent.decide({
      clientId: current.clientId,
      recipientOrganizationId,
      purpose: 'referral',
      categories: carriedCategories(current.description !== null),
      sourceOrganizationIds: current.partyOrganizationIds.filter((organizationId) => organizationId !== recipientOrganizationId),
      channel: 'forward',
    });
    return decision.consentIds;
  }

  /**
   * A shared note is news for the other organization (an event, a new version, and the receiver's
   * notes keep the first-note and note-cadence standards); an internal note is only written down.
   */
  addNote(principal: Principal, id: string, input: Requests.AddNoteDto, request: IdempotentRequest) {
    return this.writer.mutate(principal, request, id, {}, async (change) => {
      const text = input.text.trim();
      if (input.visibility === 'internal') return timelineView(change.record(change.current, { kind: 'note', visibility: 'internal', text }));
      const referral = await change.commit(ReferralLifecycle.noteStamps(change.party, change.current, change.now));
      const entry = change.record(referral, { kind: 'note', text });
      change.announce(ReferralEvents.noteAdded, referral);
      return timelineView(entry);
    });
  }

  recordContactAttempt(principal: Principal, id: string, input: Requests.RecordContactAttemptDto, request: IdempotentRequest) {
    return this.writer.mutate(principal, request, id, {}, async (change) => {
      const at = new Date(input.at);
      ReferralLifecycle.assertContactAttempt(change.party, change.current, at, change.now);
      const referral = await change.commit({});
      const entry = change.record(referral, { kind: 'contact-attempt', occurredAt: at, channel: input.channel, result: input.result, text: input.note?.trim() || null });
      change.announce(ReferralEvents.contactAttempted, referral);
      return timelineView(entry);
    });
  }

  /** Explains a breach of a platform standard (or, before closing, why fewer contact attempts were possible). */
  addExceptionNote(principal: Principal, id: string, input: Requests.AddExceptionNoteDto, request: IdempotentRequest): Promise<ReferralSummary> {
    return this.writer.mutate(principal, request, id, {}, async (change) => {
      const { current, now } = change;
      this.standards.assertExceptionApplies(input.standard, this.dueDates.evaluate(current, now), current.status);
      const referral = await change.commit({ standardExceptions: { ...current.standardExceptions, [input.standard]: now.toISOString() } });
      change.record(referral, { kind: 'exception', standard: input.standard, text: input.text.trim() });
      change.announce(ReferralEvents.exceptionNoted, referral, { standard: input.standard });
      return change.summary();
    });
  }

  /** The day the receiver learned the outcome starts the close-within-2-business-days standard. */
  recordOutcomeKnown(principal: Principal, id: string, input: Requests.RecordOutcomeKnownDto, request: IdempotentRequest): Promise<ReferralSummary> {
    return this.writer.mutate(principal, request, id, {}, async (change) => {
      const knownAt = new Date(input.knownAt);
      ReferralLifecycle.assertOutcomeKnown(change.party, change.current, knownAt, change.now);
      const referral = await change.commit({ outcomeKnownAt: knownAt });
      change.record(referral, { kind: 'outcome-known', occurredAt: knownAt });
      change.announce(ReferralEvents.outcomeKnown, referral, { outcomeKnownAt: knownAt.toISOString() });
      return change.summary();
    });
  }
}
