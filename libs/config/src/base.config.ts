import 'reflect-metadata';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, MinLength, ValidateIf } from 'class-validator';
import { BooleanSetting, IntegerSetting } from './settings';
import { IsTrustedProxies } from './trusted-proxies';

const URL_OPTIONS = { require_tld: false, require_protocol: true } as const;

/**
 * Variables every service reads. Property names are the environment variable names, so an
 * error message names exactly what an operator has to fix.
 */
export abstract class BaseConfig {
  /** Which service this process is; fixed by each service's subclass, not by the environment. */
  abstract readonly serviceName: string;

  @IsIn(['development', 'production', 'test'])
  NODE_ENV: string = 'development';

  @IntegerSetting(0, 65535) PORT!: number;

  @IsString()
  HOST: string = '0.0.0.0';

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  @Matches(/^(nats|tls):\/\/[^\s]+(,(nats|tls):\/\/[^\s]+)*$/, { message: 'NATS_URL must be one or more nats:// URLs, comma-separated' })
  NATS_URL: string = 'nats://127.0.0.1:4222';

  /** Namespace for NATS subjects and stream names, so test suites (or networks sharing a server) never see each other. */
  @Matches(/^[a-z0-9_-]*$/, { message: 'NWD_NATS_PREFIX may hold only a-z, 0-9, _ and -' })
  NWD_NATS_PREFIX: string = '';

  // ---- NATS credentials and TLS (issue 10: a service speaks on NATS only for itself) ----

  /**
   * The service's own NATS credentials (`.creds`: its user JWT and seed, from `npm run nats:credentials`).
   * Required in production: without it a server running the network's authorization refuses the connection.
   */
  @ValidateIf((config: BaseConfig) => config.NODE_ENV === 'production')
  @IsNotEmpty({ message: 'NWD_NATS_CREDS_FILE must name the service\'s .creds file in production' })
  @IsString()
  NWD_NATS_CREDS_FILE: string = '';

  /** CA certificate that signed the NATS server's TLS certificate (with `tls://` URLs). */
  @IsString()
  NWD_NATS_CA_FILE: string = '';

  // ---- end of NATS credentials and TLS ----

  @IsUrl(URL_OPTIONS)
  NWD_JWT_ISSUER: string = 'http://127.0.0.1:3002';

  @IsString()
  NWD_JWT_AUDIENCE: string = 'no-wrong-door';

  @IsUrl(URL_OPTIONS)
  NWD_JWKS_URL: string = 'http://127.0.0.1:3002/.well-known/jwks.json';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @IntegerSetting(1024) NWD_BODY_LIMIT_BYTES: number = 1_048_576;

  // ── HTTP edge: forwarded addresses, rate limits, metrics ───────────────────────────────────────

  /** Requests per API client per minute (all routes together) before 429, unless the client has its own limit. */
  @IntegerSetting(1) NWD_RATE_LIMIT_PER_MINUTE: number = 6000;

  /** The most a network admin may grant one API client (`rateLimitPerMinute`); services also cap token claims at it. */
  @IntegerSetting(1) NWD_RATE_LIMIT_MAX_PER_MINUTE: number = 60_000;

  /** Requests per minute per address without a verified token: open data, JWKS, health, metrics, and refused tokens. */
  @IntegerSetting(1) NWD_PUBLIC_RATE_LIMIT_PER_MINUTE: number = 6000;

  /** Credential attempts per minute per address: token requests and requests whose bearer token failed. */
  @IntegerSetting(1) NWD_CREDENTIAL_RATE_LIMIT_PER_MINUTE: number = 600;

  /**
   * Who may tell us the caller's address in X-Forwarded-For: empty (nobody; the socket's address
   * counts), a hop count (`1`: exactly one proxy in front, e.g. the gateway), or addresses and CIDRs,
   * comma-separated (`loopback`, `uniquelocal` and `linklocal` name the usual ranges).
   */
  @IsTrustedProxies()
  NWD_TRUSTED_PROXIES: string = '';

  /** Bearer token Prometheus sends for /metrics; in production /metrics refuses any other caller (401). */
  @IsOptional()
  @MinLength(32, { message: 'NWD_METRICS_TOKEN must hold at least 32 characters' })
  NWD_METRICS_TOKEN?: string = undefined;

  // ── end of the HTTP edge block ─────────────────────────────────────────────────────────────────

  @BooleanSetting() NWD_RUN_MIGRATIONS: boolean = true;

  /** Whether this instance may run the outbox relay (only one instance per service is active at a time anyway). */
  @BooleanSetting() NWD_OUTBOX_RELAY: boolean = true;
}
