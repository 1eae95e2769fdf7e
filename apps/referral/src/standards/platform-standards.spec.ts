import { DateTime } from 'luxon';
import { BusinessCalendar } from './business-calendar';
import { DEFAULT_STANDARDS, PlatformStandards, ReferralClockFacts } from './platform-standards';

const ny = (iso: string) => DateTime.fromISO(iso, { zone: 'America/New_York' }).toJSDate();
const standards = new PlatformStandards(DEFAULT_STANDARDS, new BusinessCalendar({ country: 'US', timeZone: 'America/New_York' }));

function facts(overrides: Partial<ReferralClockFacts>): ReferralClockFacts {
  return {
    status: 'requested',
    requestedAt: ny('2026-11-25T10:00'),
    respondedAt: null,
    acceptedAt: null,
    closedAt: null,
    firstNoteAt: null,
    lastNoteAt: null,
    outcomeKnownAt: null,
    exceptions: {},
    ...overrides,
  };
}

describe('PlatformStandards', () => {
  it('gives a request before Thanksgiving until the end of the following Monday to respond', () => {
    const report = standards.evaluate(facts({}), ny('2026-11-30T17:00'));
    expect(report.dueDates.respond).toEqual({ dueAt: ny('2026-11-30T23:59:59.999').toISOString(), metAt: null, state: 'pending' });
    expect(report.overdue).toEqual([]);
    expect(report.nextDueAt).toEqual(ny('2026-11-30T23:59:59.999'));
    expect(standards.evaluate(facts({}), ny('2026-12-01T00:00')).overdue).toEqual(['respond']);
  });

  it('marks a response met, late or lapsed', () => {
    const met = standards.evaluate(facts({ status: 'rejected', respondedAt: ny('2026-11-27T09:00') }), ny('2026-12-10T00:00'));
    expect(met.dueDates.respond?.state).toBe('met');
    expect(met.nextDueAt).toBeNull();
    const late = standards.evaluate(facts({ status: 'rejected', respondedAt: ny('2026-12-02T09:00') }), ny('2026-12-10T00:00'));
    expect(late.dueDates.respond?.state).toBe('met-late');
    const cancelled = standards.evaluate(facts({ status: 'cancelled', closedAt: ny('2026-11-26T09:00') }), ny('2026-12-10T00:00'));
    expect(cancelled.dueDates.respond?.state).toBe('lapsed');
    expect(cancelled.overdue).toEqual([]);
  });

  it('counts 7 business days from acceptance to the first note, over Christmas and New Year', () => {
    // Accepted Monday 2026-12-21: 22, 23, 24, (25 Christmas), 28, 29, 30, 31 → end of Thursday 31 December.
    const accepted = facts({ status: 'accepted', respondedAt: ny('2026-12-21T09:00'), acceptedAt: ny('2026-12-21T09:00') });
    const report = standards.evaluate(accepted, ny('2026-12-22T09:00'));
    expect(report.dueDates['first-note']).toMatchObject({ dueAt: ny('2026-12-31T23:59:59.999').toISOString(), state: 'pending' });
    expect(standards.evaluate(accepted, ny('2027-01-04T09:00')).overdue).toEqual(['first-note']);
    const noted = { ...accepted, firstNoteAt: ny('2026-12-30T09:00'), lastNoteAt: ny('2026-12-30T09:00') };
    expect(standards.evaluate(noted, ny('2027-01-04T09:00')).dueDates['first-note']?.state).toBe('met');
  });

  it('wants the case closed 2 business days after the outcome is known', () => {
    const known = facts({
      status: 'in-progress',
      respondedAt: ny('2026-11-02T09:00'),
      acceptedAt: ny('2026-11-02T09:00'),
      firstNoteAt: ny('2026-11-03T09:00'),
      lastNoteAt: ny('2026-11-03T09:00'),
      outcomeKnownAt: ny('2026-11-24T12:00'),
    });
    // Tuesday 24 + 2 business days: Wednesday 25, (Thanksgiving), Friday 27.
    expect(standards.evaluate(known, ny('2026-11-25T12:00')).dueDates.close).toMatchObject({ dueAt: ny('2026-11-27T23:59:59.999').toISOString(), state: 'pending' });
    expect(standards.evaluate(known, ny('2026-11-28T12:00')).overdue).toEqual(['close']);
    const closed = { ...known, status: 'completed' as const, closedAt: ny('2026-11-27T16:00') };
    expect(standards.evaluate(closed, ny('2026-11-28T12:00')).dueDates.close?.state).toBe('met');
  });

  it('flags an accepted case without a note for 3 months, and a new note restarts the period', () => {
    const quiet = facts({
      status: 'in-progress',
      respondedAt: ny('2026-01-05T09:00'),
      acceptedAt: ny('2026-01-05T09:00'),
      firstNoteAt: ny('2026-01-06T09:00'),
      lastNoteAt: ny('2026-01-06T09:00'),
    });
    expect(standards.evaluate(quiet, ny('2026-04-06T10:00')).overdue).toEqual(['note-cadence']);
    const noted = { ...quiet, lastNoteAt: ny('2026-03-01T09:00') };
    expect(standards.evaluate(noted, ny('2026-04-06T10:00')).dueDates['note-cadence']).toMatchObject({ dueAt: ny('2026-06-01T09:00').toISOString(), state: 'pending' });
  });

  it('excuses a breach with an exception note written after it fell due, not before', () => {
    const late = facts({ exceptions: { respond: ny('2026-12-01T10:00') } });
    const report = standards.evaluate(late, ny('2026-12-02T00:00'));
    expect(report.dueDates.respond?.state).toBe('excused');
    expect(report.overdue).toEqual([]);
    expect(report.nextDueAt).toBeNull();
    const early = facts({ exceptions: { respond: ny('2026-11-25T11:00') } });
    expect(standards.evaluate(early, ny('2026-12-02T00:00')).overdue).toEqual(['respond']);
  });

  describe('closing as client-unreachable', () => {
    it('needs 3 attempts spanning 10 business days (Veterans Day does not count)', () => {
      const attempts = [ny('2026-11-02T10:00'), ny('2026-11-09T10:00'), ny('2026-11-16T10:00')];
      expect(() => standards.assertUnreachableClosure(attempts, undefined)).toThrow(
        expect.objectContaining({ kind: 'unprocessable', code: 'referral.unreachable-closure-unmet', extensions: expect.objectContaining({ attempts: 3, businessDaysSpanned: 9 }) }),
      );
      expect(() => standards.assertUnreachableClosure([...attempts.slice(0, 2), ny('2026-11-17T10:00')], undefined)).not.toThrow();
    });

    it('refuses two attempts however far apart, unless an exception note explains', () => {
      const two = [ny('2026-10-01T10:00'), ny('2026-11-30T10:00')];
      expect(() => standards.assertUnreachableClosure(two, undefined)).toThrow(expect.objectContaining({ kind: 'unprocessable' }));
      expect(() => standards.assertUnreachableClosure(two, ny('2026-12-01T10:00'))).not.toThrow();
      expect(() => standards.assertUnreachableClosure([], undefined)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ attempts: 0 }) }));
    });
  });

  it('follows a configured policy', () => {
    const strict = new PlatformStandards({ ...DEFAULT_STANDARDS, respondBusinessDays: 1 }, standards.calendar);
    expect(strict.evaluate(facts({}), ny('2026-11-25T12:00')).dueDates.respond?.dueAt).toBe(ny('2026-11-27T23:59:59.999').toISOString());
  });
});
