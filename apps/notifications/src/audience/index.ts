export * from './audience.module';
export * from './referral-audience';
export * from './referral-audience.rules';
export * from './entities/referral-party.entity';
