export * from './consent-client.module';
export * from './decision-cache';
export * from './disclosed-client.response';
