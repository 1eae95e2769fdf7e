export * from './partner-feed';
export * from './webhook-events';
