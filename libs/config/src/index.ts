export * from './base.config';
export * from './config.module';
export * from './load-config';
export * from './settings';
export * from './trusted-proxies';
