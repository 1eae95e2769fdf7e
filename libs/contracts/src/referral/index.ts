export * from './referral.codes';
export * from './referral.events';
export * from './referral.family';
