import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { validationFailed } from '@nwd/http';

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,255}$/;

/** The optional `Idempotency-Key` header of a POST; a malformed one is a 400 naming it. */
export const IdempotencyKeyHeader = (): ParameterDecorator => (target, property, index) => {
  ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body → the same response; same key, other body → 422' })(
    target,
    property!,
    Object.getOwnPropertyDescriptor(target, property!)!,
  );
  readKey()(target, property, index);
};

const readKey = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !KEY_PATTERN.test(value)) {
    throw validationFailed([{ field: 'Idempotency-Key', messages: ['Idempotency-Key must be 1–255 characters of A-Z a-z 0-9 _ . : -'] }]);
  }
  return value;
});
