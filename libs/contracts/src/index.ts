export * from './consent';
export * from './contract';
export * from './directory/listing.events';
export * from './directory/organization.requests';
export * from './identity/identity.events';
export * from './referral';
export * from './notifications';
export * from './ownership';
