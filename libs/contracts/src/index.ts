export * from './contract';
export * from './directory/organization.requests';
export * from './identity/identity.events';
export * from './referral';
