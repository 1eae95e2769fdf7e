import { PlatformStandard } from '@nwd/contracts';
import { PlatformStandards, ReferralClockFacts, StandardsReport } from '../standards/platform-standards';
import { Referral } from './entities/referral.entity';

/** The platform-standards clock read off a referral row, and its due dates written back onto it. */
export class ReferralDueDates {
  constructor(private readonly standards: PlatformStandards) {}

  evaluate(referral: Referral, now: Date): StandardsReport {
    return this.standards.evaluate(clockFacts(referral), now);
  }

  /** Re-reckons the stored due dates (which `overdue=true` lists by) after a change; returns the report. */
  reckon(referral: Referral, now: Date): StandardsReport {
    const report = this.evaluate(referral, now);
    const at = (standard: keyof StandardsReport['dueDates']) => (report.dueDates[standard] ? new Date(report.dueDates[standard]!.dueAt) : null);
    referral.respondDueAt = at('respond')!;
    referral.firstNoteDueAt = at('first-note');
    referral.closeDueAt = at('close');
    referral.noteCadenceDueAt = at('note-cadence');
    referral.nextDueAt = report.nextDueAt;
    return report;
  }
}

export function exceptionAt(referral: Referral, standard: PlatformStandard): Date | undefined {
  const at = referral.standardExceptions?.[standard];
  return at ? new Date(at) : undefined;
}

export function clockFacts(referral: Referral): ReferralClockFacts {
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
