import { availableParallelism } from 'node:os';
import { IsTimeZone, Matches, MinLength, ValidateIf } from 'class-validator';
import { BaseConfig, IntegerSetting } from '@nwd/config';

export class DirectoryConfig extends BaseConfig {
  readonly serviceName = 'directory';
  override PORT = 3002;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/nwd_directory';

  /** The first network admin, created at boot when it does not exist yet (docker-compose sets both). */
  @ValidateIf((config: DirectoryConfig) => config.NWD_ADMIN_CLIENT_ID !== undefined || config.NWD_ADMIN_CLIENT_SECRET !== undefined)
  @Matches(/^[A-Za-z0-9._-]{3,64}$/, {
    message: 'NWD_ADMIN_CLIENT_ID must be set with NWD_ADMIN_CLIENT_SECRET and hold 3–64 letters, digits, dots, dashes or underscores',
  })
  NWD_ADMIN_CLIENT_ID?: string = undefined;

  @ValidateIf((config: DirectoryConfig) => config.NWD_ADMIN_CLIENT_ID !== undefined)
  @MinLength(24, { message: 'NWD_ADMIN_CLIENT_SECRET must be set with NWD_ADMIN_CLIENT_ID and hold at least 24 characters' })
  NWD_ADMIN_CLIENT_SECRET?: string = undefined;

  /** Access token lifetime; short because revocation elsewhere relies on the deny-list only until expiry. */
  @IntegerSetting(60, 900) NWD_TOKEN_TTL_SECONDS: number = 600;

  /** The zone listings' hours are read in when neither the listing nor its schedules name one. */
  @IsTimeZone()
  NWD_DIRECTORY_TIME_ZONE: string = 'America/New_York';

  /** A listing not verified for this long is stale (default: a quarter). */
  @IntegerSetting(1) NWD_LISTING_STALE_AFTER_DAYS: number = 91;

  /** How often the stale-listing sweep runs; 0 turns it off (tests run it by hand). */
  @IntegerSetting(0) NWD_STALE_SWEEP_INTERVAL_SECONDS: number = 3600;

  // ── token endpoint: back-off after failed secrets, bounded scrypt work ─────────────────────────

  /** Failed secret checks of one client id before it is locked out: 1 s, doubling with each further failure. */
  @IntegerSetting(1) NWD_TOKEN_FAILURES_BEFORE_BACKOFF: number = 5;

  /** The longest one lock-out lasts, however many failures. */
  @IntegerSetting(1, 3600) NWD_TOKEN_BACKOFF_MAX_SECONDS: number = 300;

  /** Secret checks (scrypt, ~40 ms of a core each, on the libuv pool) run at once; default: one per core. */
  @IntegerSetting(1) NWD_SECRET_CHECK_CONCURRENCY: number = availableParallelism();

  /** Token requests that may wait for a secret check; beyond them the token endpoint answers 429 at once. */
  @IntegerSetting(0) NWD_SECRET_CHECK_QUEUE_LIMIT: number = 32;

  // ── end of the token endpoint block ────────────────────────────────────────────────────────────
}
