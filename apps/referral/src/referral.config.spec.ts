import { ConfigValidationError, loadConfig } from '@nwd/config';
import { ReferralConfig } from './referral.config';

describe('ReferralConfig', () => {
  it('defaults to the partner agreement, US federal holidays and New York time', () => {
    const config = loadConfig(ReferralConfig, {});
    expect(config.standardsPolicy()).toEqual({
      respondBusinessDays: 2,
      firstNoteBusinessDays: 7,
      unreachableAttempts: 3,
      unreachableBusinessDays: 10,
      closeBusinessDays: 2,
      noteCadenceMonths: 3,
    });
    expect([config.NWD_HOLIDAYS_COUNTRY, config.NWD_HOLIDAYS_STATE, config.NWD_TIMEZONE]).toEqual(['US', '', 'America/New_York']);
  });

  it('reminds a business day ahead and sweeps the schedule every 30 s unless told otherwise', () => {
    const config = loadConfig(ReferralConfig, {});
    expect([config.NWD_REMINDER_DUE_SOON_BUSINESS_DAYS, config.NWD_REMINDER_SWEEP_INTERVAL_SECONDS, config.NWD_REMINDER_SWEEP_BATCH_SIZE]).toEqual([1, 30, 200]);
    const off = loadConfig(ReferralConfig, { NWD_REMINDER_DUE_SOON_BUSINESS_DAYS: '0', NWD_REMINDER_SWEEP_INTERVAL_SECONDS: '0' });
    expect([off.NWD_REMINDER_DUE_SOON_BUSINESS_DAYS, off.NWD_REMINDER_SWEEP_INTERVAL_SECONDS]).toEqual([0, 0]);
    try {
      loadConfig(ReferralConfig, { NWD_REMINDER_DUE_SOON_BUSINESS_DAYS: '-1', NWD_REMINDER_SWEEP_BATCH_SIZE: '0' });
      throw new Error('accepted a negative lead and an empty batch');
    } catch (error) {
      expect((error as ConfigValidationError).problems.map((p) => p.variable).sort()).toEqual(['NWD_REMINDER_DUE_SOON_BUSINESS_DAYS', 'NWD_REMINDER_SWEEP_BATCH_SIZE']);
    }
  });

  it('reads each standard from its variable and names a bad one', () => {
    const config = loadConfig(ReferralConfig, { NWD_STANDARDS_RESPOND_BUSINESS_DAYS: '3', NWD_HOLIDAYS_STATE: 'NY', NWD_TIMEZONE: 'America/Chicago' });
    expect(config.standardsPolicy().respondBusinessDays).toBe(3);
    expect(config.NWD_HOLIDAYS_STATE).toBe('NY');
    expect(() => loadConfig(ReferralConfig, { NWD_STANDARDS_CLOSE_BUSINESS_DAYS: 'soon', NWD_HOLIDAYS_COUNTRY: 'usa' })).toThrow(ConfigValidationError);
    try {
      loadConfig(ReferralConfig, { NWD_STANDARDS_CLOSE_BUSINESS_DAYS: 'soon', NWD_HOLIDAYS_COUNTRY: 'usa' });
    } catch (error) {
      expect((error as ConfigValidationError).problems.map((p) => p.variable).sort()).toEqual(['NWD_HOLIDAYS_COUNTRY', 'NWD_STANDARDS_CLOSE_BUSINESS_DAYS']);
    }
  });
});
