import { applyDecorators, ArgumentMetadata, BadRequestException, Param, ParseUUIDPipe, ValidationError, ValidationPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, Max, Min, ValidateIf } from 'class-validator';
import { DomainError, FieldProblem } from '@nwd/errors';
import { inputProblems } from './input-checks';

/** Flattens class-validator's tree into one entry per offending field, named by its dotted path. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) problems.push({ field, messages: Object.values(error.constraints) });
    if (error.children?.length) problems.push(...fieldProblems(error.children, field));
  }
  return problems;
}

/** The pipe's 400: the problem of DomainError.invalidFields, raised like the framework's own refusals. */
export function validationFailed(errors: FieldProblem[]): BadRequestException {
  const error = DomainError.invalidFields(errors);
  return new BadRequestException({ code: error.code, detail: error.message, ...error.extensions });
}

/**
 * The global pipe: every body, query and path parameter is first checked for what no field may
 * hold (NUL characters, Object.prototype names, hostile nesting: see input-checks.ts), then
 * transformed and validated against its DTO. The first check runs on the plain value, before
 * class-transformer recurses into it or drops the names that shadow inherited methods.
 */
export class InputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const problems = inputProblems(value, metadata.data ?? '');
      if (problems.length) throw validationFailed(problems);
    }
    // ValidationPipe validates a missing or `null` body as `{}` and then hands the handler the
    // null: a PATCH with nothing in it would run as an update.
    if (metadata.type === 'body' && !metadata.data && isDto(metadata.metatype) && !isPlainObject(value)) {
      throw validationFailed([{ field: 'body', messages: ['body must be a JSON object'] }]);
    }
    return super.transform(value, metadata);
  }
}

function isDto(metatype: ArgumentMetadata['metatype']): boolean {
  return typeof metatype === 'function' && ![Object, String, Number, Boolean, Array].includes(metatype as never);
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Unknown properties are refused (not silently dropped) so a partner learns about a typo at once. */
export function createValidationPipe(): ValidationPipe {
  return new InputValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(fieldProblems(errors)),
  });
}

/** A UUID path parameter; anything else is a 400 naming the parameter. */
export function UuidParam(name: string): ParameterDecorator {
  return Param(
    name,
    new ParseUUIDPipe({ exceptionFactory: () => validationFailed([{ field: name, messages: [`${name} must be a UUID`] }]) }),
  );
}

/**
 * An integer from a query string or a body: digits only (no `1e20`, `0x10` or `1.0`), within
 * [min, max]. The default max is the largest integer a JavaScript number holds exactly, so no
 * value reaches SQL rounded or in exponent notation.
 */
export function IntegerValue({ min, max = Number.MAX_SAFE_INTEGER }: { min: number; max?: number }): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => (typeof value === 'string' && /^[+-]?\d{1,20}$/.test(value) ? Number(value) : value)),
    IsInt(),
    Min(min),
    Max(max),
  );
}

/** May be left out, but not sent as `null` (class-validator's IsOptional lets both through): for a column that cannot be empty. */
export function OptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

/** A boolean from a query string or a body: `true`, `false`, `"true"` or `"false"`; anything else is a 400. */
export function BooleanValue(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean(),
  );
}
