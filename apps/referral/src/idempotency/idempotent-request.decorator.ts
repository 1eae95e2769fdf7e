import { createParamDecorator, ExecutionContext, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { ApiHeader } from '@nestjs/swagger';
import { Principal } from '@nwd/auth';
import { validationFailed } from '@nwd/http';
import { IdempotentRequest } from './idempotency.store';

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,255}$/;

interface RouteRequest {
  method: string;
  url: string;
  body: unknown;
  user?: Principal;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * What the route's `Idempotency-Key` promises, read off the route itself: the caller's
 * organization, the key (optional; a malformed one is a 400 naming it), the method, path and body
 * it was sent with, and the status the route answers. The write is guarded with it in its own
 * transaction (`IdempotencyStore.run`), so the key is recorded if and only if the change is.
 */
export const IdempotentRoute = (): ParameterDecorator => (target, property, index) => {
  ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body → the same response; same key, other body → 422' })(
    target,
    property!,
    Object.getOwnPropertyDescriptor(target, property!)!,
  );
  readRoute()(target, property, index);
};

const readRoute = createParamDecorator((_: unknown, context: ExecutionContext): IdempotentRequest => {
  const request = context.switchToHttp().getRequest<RouteRequest>();
  if (!request.user) throw new Error('IdempotentRoute used on a route without authentication');
  return {
    organizationId: request.user.organizationId,
    key: keyOf(request.headers['idempotency-key']),
    method: request.method,
    path: request.url.split('?')[0]!,
    body: request.body,
    status: Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === RequestMethod[RequestMethod.POST] ? 201 : 200),
  };
});

function keyOf(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !KEY_PATTERN.test(value)) {
    throw validationFailed([{ field: 'Idempotency-Key', messages: ['Idempotency-Key must be 1–255 characters of A-Z a-z 0-9 _ . : -'] }]);
  }
  return value;
}
