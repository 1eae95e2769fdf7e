import 'reflect-metadata';
import { runService } from '@nwd/http';
import { ReferralAppModule } from './referral-app.module';
import { ReferralConfig } from './referral.config';

void runService({
  config: ReferralConfig,
  module: (config) => ReferralAppModule.forRoot(config),
  title: 'No Wrong Door — Referral service',
  description: 'The closed loop: referrals between organizations, their status, notes, contact attempts and outcomes.',
});
