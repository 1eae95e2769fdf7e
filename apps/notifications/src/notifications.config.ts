import { IsEmail, IsString, Matches, ValidateIf } from 'class-validator';
import { BaseConfig, BooleanSetting, IntegerSetting } from '@nwd/config';

const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export class NotificationsConfig extends BaseConfig {
  readonly serviceName = 'notifications';
  override PORT = 3004;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/nwd_notifications';

  // ── Email: the SMTP relay the network sends through ────────────────────────────────────────────

  @IsString() NWD_SMTP_HOST: string = '127.0.0.1';
  @IntegerSetting(1, 65535) NWD_SMTP_PORT: number = 1025;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  @BooleanSetting() NWD_SMTP_SECURE: boolean = false;
  @IsString() NWD_SMTP_USER: string = '';
  @ValidateIf((config: NotificationsConfig) => config.NWD_SMTP_USER !== '')
  @IsString()
  NWD_SMTP_PASSWORD: string = '';
  /** The sender the mails carry, e.g. `notifications@network.example.org`. */
  @IsEmail({ require_tld: false }, { message: 'NWD_MAIL_FROM must be an email address' })
  NWD_MAIL_FROM: string = 'notifications@nowrongdoor.invalid';

  /** Where a mail's link points: the referral's page in the console (or its API resource); the referral id is appended. */
  @Matches(/^https?:\/\/\S+[^/]$/, { message: 'NWD_REFERRAL_LINK_BASE_URL must be an http(s) URL without a trailing slash' })
  NWD_REFERRAL_LINK_BASE_URL: string = 'http://127.0.0.1:3001/v1/referrals';

  /** How often queued mail is sent (0: only by hand, for tests). */
  @IntegerSetting(0) NWD_MAIL_SEND_INTERVAL_SECONDS: number = 5;
  @IntegerSetting(1, 1000) NWD_MAIL_BATCH_SIZE: number = 50;
  /** A claimed mail is another replica's to retry after this long if its sender died mid-send. */
  @IntegerSetting(10, 3600) NWD_MAIL_LEASE_SECONDS: number = 120;
  /** Sending attempts before a mail is given up as failed. */
  @IntegerSetting(1, 100) NWD_MAIL_MAX_ATTEMPTS: number = 12;
  /** First retry delay; it doubles per attempt up to the maximum. */
  @IntegerSetting(1, 86_400) NWD_MAIL_RETRY_BASE_SECONDS: number = 30;
  @IntegerSetting(1, 86_400) NWD_MAIL_RETRY_MAX_SECONDS: number = 3600;

  /** How often daily digests that fell due are assembled (0: only by hand, for tests). */
  @IntegerSetting(0) NWD_DIGEST_INTERVAL_SECONDS: number = 60;
  /** The local time (in each subscription's zone) a daily digest goes out, unless the subscription names its own. */
  @Matches(LOCAL_TIME, { message: 'NWD_DIGEST_TIME must be a local time HH:mm, e.g. 08:00' })
  NWD_DIGEST_TIME: string = '08:00';

  mailRetryPolicy(): { baseSeconds: number; maxSeconds: number; maxAttempts: number } {
    return { baseSeconds: this.NWD_MAIL_RETRY_BASE_SECONDS, maxSeconds: this.NWD_MAIL_RETRY_MAX_SECONDS, maxAttempts: this.NWD_MAIL_MAX_ATTEMPTS };
  }

  // ---- partner NATS credentials (issue 13) ----

  /**
   * `partner-issuer.json` from `npm run nats:credentials`: the network account's key that signs
   * partners' NATS users, and what pushes their revocations to the server. Empty: the
   * `/v1/nats-credentials` routes answer 503.
   */
  @IsString() NWD_PARTNER_NATS_ISSUER_FILE: string = '';

  /** The NATS address partners connect to, as handed out with their credentials (default: NATS_URL). */
  @IsString() NWD_PARTNER_NATS_URL: string = '';

  /** How long a rotated credential keeps working beside its successor (0: it stops at once). */
  @IntegerSetting(0, 86_400) NWD_PARTNER_NATS_ROTATION_OVERLAP_SECONDS: number = 300;

  /**
   * How often every revoked credential (and every rotated one past its overlap) is checked against
   * the server's account JWT and pushed if missing: the bound on how late a revocation takes effect
   * when the push at revocation time failed, or a server restarted from an older configuration.
   * 0: never (tests run it by hand).
   */
  @IntegerSetting(0, 55) NWD_PARTNER_NATS_REVOCATION_SYNC_SECONDS: number = 15;

  /**
   * How often push consumers on PARTNER are removed: a partner may create only its own consumers,
   * but the server does not check a push consumer's deliver subject against anyone's permissions,
   * so one could aim its feed at another subject. Partners fetch (pull) instead. 0: never.
   */
  @IntegerSetting(0, 3600) NWD_PARTNER_PUSH_CONSUMER_SWEEP_SECONDS: number = 5;

  // ---- end of partner NATS credentials ----
}
