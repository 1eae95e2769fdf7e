export * from './principal';
export * from './public.decorator';
