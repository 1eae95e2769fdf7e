export * from './auth.module';
export * from './decorators';
export * from './deny-list';
export * from './guards';
export * from './jwt.strategy';
export * from './principal';
export * from './public.decorator';
export * from './signing-key-resolver';
