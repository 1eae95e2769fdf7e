import { BaseConfig, IntegerSetting } from '@nwd/config';
import { IsString, Matches } from 'class-validator';
import { StandardsPolicy } from './standards/platform-standards';

export class ReferralConfig extends BaseConfig {
  readonly serviceName = 'referral';
  override PORT = 3001;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/nwd_referral';

  /** Platform standards of the network's partner agreement (defaults from a real network's). */
  @IntegerSetting(1, 60) NWD_STANDARDS_RESPOND_BUSINESS_DAYS: number = 2;
  @IntegerSetting(1, 60) NWD_STANDARDS_FIRST_NOTE_BUSINESS_DAYS: number = 7;
  @IntegerSetting(1, 20) NWD_STANDARDS_UNREACHABLE_ATTEMPTS: number = 3;
  @IntegerSetting(0, 120) NWD_STANDARDS_UNREACHABLE_BUSINESS_DAYS: number = 10;
  @IntegerSetting(1, 60) NWD_STANDARDS_CLOSE_BUSINESS_DAYS: number = 2;
  @IntegerSetting(1, 24) NWD_STANDARDS_NOTE_CADENCE_MONTHS: number = 3;

  /** Holiday calendar (ISO 3166 country, optional state) and the zone business days are counted in. */
  @Matches(/^[A-Z]{2}$/, { message: 'NWD_HOLIDAYS_COUNTRY must be an ISO 3166-1 alpha-2 code, e.g. US' })
  NWD_HOLIDAYS_COUNTRY: string = 'US';

  @Matches(/^([A-Z0-9]{1,3})?$/, { message: 'NWD_HOLIDAYS_STATE must be a subdivision code such as NY, or empty' })
  NWD_HOLIDAYS_STATE: string = '';

  @IsString()
  @Matches(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, { message: 'NWD_TIMEZONE must be an IANA zone, e.g. America/New_York' })
  NWD_TIMEZONE: string = 'America/New_York';

  /** How long an Idempotency-Key is honoured (a retry window, as payment APIs keep theirs for a day). */
  @IntegerSetting(1, 720) NWD_IDEMPOTENCY_KEY_RETENTION_HOURS: number = 24;
  /** How often expired keys are deleted (0: never, for tests that run the sweep by hand). */
  @IntegerSetting(0) NWD_IDEMPOTENCY_SWEEP_INTERVAL_SECONDS: number = 3600;

  /** How often the clients still held here are offered to the consent service (0: only by hand, for tests). */
  @IntegerSetting(0) NWD_CLIENT_HANDOVER_INTERVAL_SECONDS: number = 60;
  @IntegerSetting(1, 5000) NWD_CLIENT_HANDOVER_BATCH_SIZE: number = 200;

  /**
   * Platform-standards reminders: `referral.v1.due-soon` when this many business days are left before
   * a respond, first-note or close deadline, the deadline's own day counted (0: none); the schedule is
   * swept every NWD_REMINDER_SWEEP_INTERVAL_SECONDS (0: only by hand, for tests), a batch at a time.
   */
  @IntegerSetting(0, 30) NWD_REMINDER_DUE_SOON_BUSINESS_DAYS: number = 1;
  @IntegerSetting(0) NWD_REMINDER_SWEEP_INTERVAL_SECONDS: number = 30;
  @IntegerSetting(1, 5000) NWD_REMINDER_SWEEP_BATCH_SIZE: number = 200;

  standardsPolicy(): StandardsPolicy {
    return {
      respondBusinessDays: this.NWD_STANDARDS_RESPOND_BUSINESS_DAYS,
      firstNoteBusinessDays: this.NWD_STANDARDS_FIRST_NOTE_BUSINESS_DAYS,
      unreachableAttempts: this.NWD_STANDARDS_UNREACHABLE_ATTEMPTS,
      unreachableBusinessDays: this.NWD_STANDARDS_UNREACHABLE_BUSINESS_DAYS,
      closeBusinessDays: this.NWD_STANDARDS_CLOSE_BUSINESS_DAYS,
      noteCadenceMonths: this.NWD_STANDARDS_NOTE_CADENCE_MONTHS,
    };
  }
}
