import { BadRequestException, Param, ParseUUIDPipe, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldProblem } from '@nwd/errors';

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

export function validationFailed(errors: FieldProblem[]): BadRequestException {
  return new BadRequestException({
    code: 'request.validation-failed',
    detail: `Invalid ${errors.map((e) => e.field).join(', ')}`,
    errors,
  });
}

/** Unknown properties are refused (not silently dropped) so a partner learns about a typo at once. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
