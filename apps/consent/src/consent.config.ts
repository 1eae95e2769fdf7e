import { Transform } from 'class-transformer';
import { IsArray, IsIn } from 'class-validator';
import { BaseConfig, IntegerSetting } from '@nwd/config';
import { DATA_CATEGORIES, DataCategory } from '@nwd/contracts';
import { NetworkDefaultPolicy } from './decisions/consent-policy';

export class ConsentConfig extends BaseConfig {
  readonly serviceName = 'consent';
  override PORT = 3003;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/nwd_consent';

  /**
   * What a disclosure may carry with no consent on file (comma-separated categories). Conservative
   * by default: the needs alone. Sensitive categories are never released this way, whatever is set.
   */
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : value))
  @IsArray()
  @IsIn(DATA_CATEGORIES, { each: true, message: `NWD_CONSENT_DEFAULT_CATEGORIES may hold only ${DATA_CATEGORIES.join(', ')}` })
  NWD_CONSENT_DEFAULT_CATEGORIES: DataCategory[] = ['needs-and-screening'];

  /** How often consents past their end are marked expired and announced (0: never, for tests that run the sweep by hand). */
  @IntegerSetting(0) NWD_CONSENT_EXPIRY_SWEEP_INTERVAL_SECONDS: number = 30;

  /** How long an organization's kind is taken from the directory without asking again (protections arrive as events). */
  @IntegerSetting(1, 86_400) NWD_ORGANIZATION_CACHE_SECONDS: number = 300;

  networkPolicy(): NetworkDefaultPolicy {
    return { withoutConsent: this.NWD_CONSENT_DEFAULT_CATEGORIES };
  }
}
