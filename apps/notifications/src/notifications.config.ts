import { IsString } from 'class-validator';
import { BaseConfig, IntegerSetting } from '@nwd/config';

export class NotificationsConfig extends BaseConfig {
  readonly serviceName = 'notifications';
  override PORT = 3004;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/nwd_notifications';

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
