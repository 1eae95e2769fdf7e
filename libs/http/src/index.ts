export * from './create-http-app';
export * from './health.controller';
export * from './http-platform.module';
export * from './problem-details';
export * from './problem-details.filter';
export * from './periodic-task';
export * from './run-service';
export * from './validation';
