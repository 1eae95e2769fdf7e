import { BaseConfig } from '@nwd/config';

export class ReferralConfig extends BaseConfig {
  readonly serviceName = 'referral';
  override PORT = 3001;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/nwd_referral';
}
