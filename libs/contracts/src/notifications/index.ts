export * from './partner-feed';
