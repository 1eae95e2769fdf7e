export * from './consent-client.module';
export * from './decision-cache';
