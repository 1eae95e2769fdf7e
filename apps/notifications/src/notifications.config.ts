import { Equals, IsNotEmpty, IsString, Matches, ValidateIf } from 'class-validator';
import { BaseConfig, BooleanSetting, IntegerSetting } from '@nwd/config';

export class NotificationsConfig extends BaseConfig {
  readonly serviceName = 'notifications';
  override PORT = 3004;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/nwd_notifications';

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
