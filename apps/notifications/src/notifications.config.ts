import { Equals, IsEmail, IsNotEmpty, IsString, Matches, ValidateIf } from 'class-validator';
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

  // ── Webhooks ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Key (base64, 32 bytes) that encrypts webhook signing secrets at rest: they must be recoverable
   * to sign, so they cannot be hashed. Required in production; development and tests use a fixed key.
   */
  @ValidateIf((config: NotificationsConfig) => config.NODE_ENV === 'production' || config.NWD_WEBHOOK_SECRET_KEY !== '')
  @IsNotEmpty({ message: 'NWD_WEBHOOK_SECRET_KEY must be set in production (base64 of 32 random bytes)' })
  @IsString()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'NWD_WEBHOOK_SECRET_KEY must be base64 of exactly 32 bytes' })
  NWD_WEBHOOK_SECRET_KEY: string = '';

  /**
   * Lets webhooks target plain http and loopback or private addresses outside development (tests'
   * receivers on 127.0.0.1). Refused in production, where only https to public addresses is allowed.
   */
  @BooleanSetting()
  @ValidateIf((config: NotificationsConfig) => config.NODE_ENV === 'production')
  @Equals(false, { message: 'NWD_WEBHOOK_ALLOW_PRIVATE_TARGETS cannot be on in production' })
  NWD_WEBHOOK_ALLOW_PRIVATE_TARGETS: boolean = false;

  /** How long deliveries are retried before the endpoint is disabled (hours). */
  @IntegerSetting(1, 24 * 14) NWD_WEBHOOK_RETRY_WINDOW_HOURS: number = 24;

  /** First retry delay (seconds); each later one doubles, with jitter, up to the maximum. */
  @IntegerSetting(1) NWD_WEBHOOK_RETRY_BASE_SECONDS: number = 5;

  @IntegerSetting(1) NWD_WEBHOOK_RETRY_MAX_DELAY_SECONDS: number = 3600;

  /** How long a rotated-out secret keeps signing beside the new one (seconds). */
  @IntegerSetting(0) NWD_WEBHOOK_SECRET_OVERLAP_SECONDS: number = 86_400;

  /** How long a receiver has to answer one delivery (milliseconds). */
  @IntegerSetting(100, 60_000) NWD_WEBHOOK_TIMEOUT_MS: number = 10_000;

  /** How often due retries are looked for (milliseconds); new deliveries wake the dispatcher at once. 0: never (tests run it by hand). */
  @IntegerSetting(0) NWD_WEBHOOK_POLL_MS: number = 1000;

  /** Deliveries one dispatcher loop claims and sends at once. */
  @IntegerSetting(1, 1000) NWD_WEBHOOK_CONCURRENCY: number = 64;

  /** Dispatcher loops per process, each claiming its own batch. */
  @IntegerSetting(1, 32) NWD_WEBHOOK_WORKERS: number = 4;
}
