export * from './database';
export * from './environment';
export * from './nats';
export * from './nats-server';
export * from './poll';
export * from './service-under-test';
export * from './services';
export * from './network';
