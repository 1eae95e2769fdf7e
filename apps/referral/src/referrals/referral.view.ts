import { StandardsReport } from '../standards/platform-standards';
import { TextAccess } from '../consent/client-access';
import { Referral } from './entities/referral.entity';
import { ReferralTimelineEntry } from './entities/referral-timeline-entry.entity';
import { ChainLinkResponse, ReferralClientResponse, ReferralSummaryResponse, TimelineEntryResponse } from './dto/referral.response';

/** What lists show: the loop's state and its clock, without the client's personal data. */
export function referralSummary(referral: Referral, standards: StandardsReport): ReferralSummaryResponse {
  return {
    id: referral.id,
    reference: referral.reference,
    status: referral.status,
    statusReason: referral.statusReason,
    version: referral.version,
    urgency: referral.urgency,
    needs: referral.needs,
    senderOrganizationId: referral.senderOrganizationId,
    receivingOrganizationId: referral.receivingOrganizationId,
    receivingServiceId: referral.receivingServiceId,
    outcome: referral.outcome,
    outcomeText: referral.outcomeText,
    outcomeKnownAt: referral.outcomeKnownAt?.toISOString() ?? null,
    forwardedFromId: referral.forwardedFromId,
    forwardedToId: referral.forwardedToId,
    dueDates: standards.dueDates,
    overdue: standards.overdue,
    createdAt: referral.createdAt.toISOString(),
    updatedAt: referral.updatedAt.toISOString(),
  };
}
export type ReferralSummary = ReferralSummaryResponse;

/** An entry as a reader sees it; `othersText` withholds another organization's free text where consent does not allow `notes`. */
export function timelineView(entry: ReferralTimelineEntry, othersText?: TextAccess): TimelineEntryResponse {
  const view: Record<string, unknown> = {
    id: entry.id,
    kind: entry.kind,
    authorOrganizationId: entry.authorOrganizationId,
    authorClientId: entry.authorClientId,
    visibility: entry.visibility,
    occurredAt: entry.occurredAt.toISOString(),
    recordedAt: entry.recordedAt.toISOString(),
    version: entry.version,
  };
  // Only the facts this kind of entry has, so a timeline reads without nulls everywhere.
  for (const key of ['fromStatus', 'toStatus', 'reason', 'outcome', 'text', 'channel', 'result', 'standard', 'relatedReferralId'] as const) {
    if (entry[key] !== null && entry[key] !== undefined) view[key] = key === 'text' && othersText ? othersText.text(entry.text) : entry[key];
  }
  return view as unknown as TimelineEntryResponse;
}

export function chainLinkView(referral: Referral): ChainLinkResponse {
  return {
    id: referral.id,
    reference: referral.reference,
    senderOrganizationId: referral.senderOrganizationId,
    receivingOrganizationId: referral.receivingOrganizationId,
    status: referral.status,
    createdAt: referral.createdAt.toISOString(),
  };
}
