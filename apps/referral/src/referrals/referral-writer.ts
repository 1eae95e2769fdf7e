import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventContract, ReferralEventPayload } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { Outbox } from '@nwd/messaging';
import { TableRow } from '@nwd/persistence';
import { Actor, actorOf, Principal, viewerOf } from '@nwd/auth';
import { Clock } from '@nwd/clock';
import { IdempotencyStore, IdempotentRequest } from '../idempotency/idempotency.store';
import { ReferralReminders } from '../reminders/referral-reminders';
import { ReferralParty } from '../loop/referral-lifecycle';
import { StandardsReport } from '../standards/platform-standards';
import { Referral } from './entities/referral.entity';
import { ReferralTimelineEntry } from './entities/referral-timeline-entry.entity';
import { ReferralDueDates } from './referral-due-dates';
import { ReferralFactory, TimelineFields } from './referral.factory';
import { referralSummary, ReferralSummary } from './referral.view';
import { ReferralsRepository } from './referrals.repository';

/**
 * How a write finds its referral. With the `version` the caller saw, it is read as any viewer may
 * (a network admin gets 403, not 404) and the change applies only at that version; without one it
 * is locked for a party to it.
 */
export interface ReferralRead<Checked> {
  version?: number;
  /** Checks that ask other services: run outside the transaction, skipped for a replayed key. */
  before?: () => Promise<Checked>;
}

/**
 * One change to one existing referral, inside the transaction of its write: the referral as read,
 * who acts on it and as which party, and what the change writes. Timeline entries and the first
 * event are written together at the end, in one statement.
 */
export class ReferralChange {
  private latest: { referral: Referral; standards: StandardsReport } | undefined;
  private readonly entries: ReferralTimelineEntry[] = [];
  private readonly events: { contract: EventContract<ReferralEventPayload>; payload: ReferralEventPayload }[] = [];

  constructor(
    readonly manager: EntityManager,
    readonly actor: Actor,
    readonly current: Referral,
    readonly party: ReferralParty,
    readonly now: Date,
    private readonly writer: ReferralWriter,
  ) {}

  /** Writes `changes` at the version read, moving the version on and re-reckoning the due dates and the reminders they owe. */
  async commit(changes: Partial<Referral>): Promise<Referral> {
    const { current, now } = this;
    const referral = Object.assign(new Referral(), current, changes, { version: current.version + 1, updatedAt: now });
    const standards = this.writer.dueDates.reckon(referral, now);
    const updated = await this.writer.referrals.updateAtVersion(this.manager, this.actor, current.id, current.version, {
      ...changes,
      version: referral.version,
      updatedAt: now,
      respondDueAt: referral.respondDueAt,
      firstNoteDueAt: referral.firstNoteDueAt,
      closeDueAt: referral.closeDueAt,
      noteCadenceDueAt: referral.noteCadenceDueAt,
      nextDueAt: referral.nextDueAt,
    });
    if (!updated) throw DomainError.conflict('referral.version-conflict', `Referral ${current.id} changed while this request was being handled; read it again`);
    await this.writer.reminders.reschedule(this.manager, current, referral);
    this.latest = { referral, standards };
    return referral;
  }

  /** A new referral this change starts (a forward), written at once so the change may point at it. */
  async start(referral: Referral): Promise<StandardsReport> {
    const standards = this.writer.dueDates.reckon(referral, this.now);
    await this.writer.referrals.insertRows(this.manager, this.actor, { referrals: [referral], entries: [], more: this.writer.reminders.rowsFor(referral) });
    return standards;
  }

  /** Adds an entry to a referral's timeline, at its version after the change. */
  record(referral: Referral, fields: TimelineFields): ReferralTimelineEntry {
    const entry = ReferralFactory.entry(this.actor, referral, this.now, fields);
    this.entries.push(entry);
    return entry;
  }

  /** Tells the network, through the outbox, in the order announced. */
  announce(contract: EventContract<ReferralEventPayload>, referral: Referral, extra: Partial<ReferralEventPayload> = {}): void {
    this.events.push({ contract, payload: ReferralFactory.payload(referral, this.now, extra) });
  }

  /** The referral as the change left it, with its clock. */
  summary(): ReferralSummary {
    if (!this.latest) throw new Error('ReferralChange.summary() before commit()');
    return referralSummary(this.latest.referral, this.latest.standards);
  }

  /** @internal the template's last step */
  async flush(): Promise<void> {
    const [first, ...rest] = this.events;
    const event: TableRow | undefined = first && this.writer.outbox.row(first.contract, first.payload);
    await this.writer.referrals.insertRows(this.manager, this.actor, { entries: this.entries, event });
    for (const later of rest) await this.writer.outbox.append(this.manager, later.contract, later.payload);
  }
}

/**
 * The one write path of an existing referral: the stored answer to a repeated Idempotency-Key, the
 * checks that ask other services (outside the transaction), then in one transaction the referral
 * read or locked, the party check, the step itself, its timeline and events, and the key.
 */
@Injectable()
export class ReferralWriter {
  constructor(
    readonly referrals: ReferralsRepository,
    readonly outbox: Outbox,
    readonly dueDates: ReferralDueDates,
    readonly reminders: ReferralReminders,
    private readonly idempotency: IdempotencyStore,
    private readonly clock: Clock,
  ) {}

  mutate<T, Checked = void>(
    principal: Principal,
    request: IdempotentRequest,
    id: string,
    { version, before }: ReferralRead<Checked>,
    step: (change: ReferralChange, checked: Checked) => Promise<T>,
  ): Promise<T> {
    return this.idempotency.run(
      request,
      async (manager, checked) => {
        const now = this.clock.now();
        const actor = actorOf(principal);
        const current =
          version === undefined ? await this.referrals.lockForParty(manager, actor, id) : await this.referrals.getVisible(viewerOf(principal), id, manager);
        const party = partyOf(actor, current);
        if (version !== undefined) assertVersion(current, version);
        const change = new ReferralChange(manager, actor, current, party, now, this);
        const result = await step(change, checked);
        await change.flush();
        return result;
      },
      { before },
    );
  }
}

/** Sender or receiver. Others who can see the referral (network admins, earlier links of a forward chain) cannot act on it. */
function partyOf(actor: Actor, referral: Referral): ReferralParty {
  if (referral.senderOrganizationId === actor.organizationId) return 'sender';
  if (referral.receivingOrganizationId === actor.organizationId) return 'receiver';
  throw DomainError.forbidden('referral.not-a-party', 'Only the sending and the receiving organization act on a referral');
}

function assertVersion(referral: Referral, version: number): void {
  if (referral.version !== version) {
    throw DomainError.conflict('referral.version-conflict', `The referral changed since you read it (you sent version ${version}, it is at ${referral.version}); read it again`, {
      currentVersion: referral.version,
    });
  }
}
