import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'nwd:isPublic';

/** Marks a route that answers without a token (health, docs, metrics, JWKS, open HSDS data). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
