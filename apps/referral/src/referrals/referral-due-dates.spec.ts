import { BusinessCalendar } from '../standards/business-calendar';
import { DEFAULT_STANDARDS, PlatformStandards } from '../standards/platform-standards';
import { Referral } from './entities/referral.entity';
import { exceptionAt, ReferralDueDates } from './referral-due-dates';

const dueDates = new ReferralDueDates(new PlatformStandards(DEFAULT_STANDARDS, new BusinessCalendar({ country: 'US', timeZone: 'America/New_York' })));

/** A new request: the clock reads nothing else off a row that has not moved yet. */
function referral(overrides: Partial<Referral> = {}): Referral {
  return Object.assign(new Referral(), { status: 'requested', createdAt: new Date('2025-11-26T15:00:00Z'), standardExceptions: {} }, overrides);
}

describe('ReferralDueDates', () => {
  it('writes the due dates it reckons onto the row, for overdue=true to list by', () => {
    const row = referral();
    const report = dueDates.reckon(row, new Date('2025-11-26T16:00:00Z'));
    // Wednesday before Thanksgiving: Friday (1), Monday (2).
    expect(row.respondDueAt).toEqual(new Date('2025-12-02T04:59:59.999Z'));
    expect([row.firstNoteDueAt, row.closeDueAt, row.noteCadenceDueAt]).toEqual([null, null, null]);
    expect(row.nextDueAt).toEqual(row.respondDueAt);
    expect(report.dueDates.respond).toMatchObject({ state: 'pending', metAt: null });
  });

  it('reads the exception notes stored on the row as the clock’s exceptions', () => {
    const row = referral({ standardExceptions: { respond: '2025-12-03T15:00:00.000Z' } });
    expect(dueDates.evaluate(row, new Date('2025-12-03T16:00:00Z')).dueDates.respond?.state).toBe('excused');
    expect(exceptionAt(row, 'respond')).toEqual(new Date('2025-12-03T15:00:00.000Z'));
    expect(exceptionAt(row, 'close')).toBeUndefined();
  });
});
