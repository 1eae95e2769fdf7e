export * from './consent.codes';
export * from './consent.events';
export * from './consent.requests';
