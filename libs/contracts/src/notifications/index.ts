export * from './partner-feed';
export * from './notification-delivery.consumers';
