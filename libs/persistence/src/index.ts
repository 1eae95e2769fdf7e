export * from './data-source';
export * from './persistence.module';
export * from './insert-together';
export * from './database-errors';
