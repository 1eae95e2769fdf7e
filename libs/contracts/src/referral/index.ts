export * from './referral.codes';
export * from './referral.events';
