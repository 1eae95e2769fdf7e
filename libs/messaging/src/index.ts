export * from './nats/nats-client';
export * from './nats/nats.module';
