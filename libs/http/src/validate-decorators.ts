import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { IsArray, IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { BooleanValue, IntegerValue } from './validation';

/**
 * A DTO property in one line: the check, the transform a query string needs and the OpenAPI
 * property together, so the document cannot say other than what is enforced (immich's
 * `ValidateUUID` style). What the schema says of type, format and bounds comes from the rule;
 * the rest (description, default, example) is passed through.
 */
type Docs = Pick<ApiPropertyOptions, 'description' | 'default' | 'example' | 'deprecated'>;

interface Presence {
  /** May be left out (and, as with class-validator's IsOptional, sent as null). */
  optional?: boolean;
}

function documented(optional: boolean | undefined, schema: ApiPropertyOptions): PropertyDecorator {
  return optional ? ApiPropertyOptional(schema) : ApiProperty(schema);
}

function presence(optional: boolean | undefined): PropertyDecorator[] {
  return optional ? [IsOptional()] : [];
}

/** `true` or `false`, also as the strings a query carries. */
export function ValidateBoolean({ optional, ...docs }: Presence & Docs = {}): PropertyDecorator {
  return applyDecorators(documented(optional, { ...docs, type: Boolean }), ...presence(optional), BooleanValue());
}

/** A UUID (any version). */
export function ValidateUUID({ optional, ...docs }: Presence & Docs = {}): PropertyDecorator {
  return applyDecorators(documented(optional, { ...docs, type: String, format: 'uuid' }), ...presence(optional), IsUUID());
}

/** An integer within [min, max], digits only when it comes as a string (see IntegerValue). */
export function ValidateInt({ optional, min, max = Number.MAX_SAFE_INTEGER, ...docs }: Presence & Docs & { min: number; max?: number }): PropertyDecorator {
  return applyDecorators(
    documented(optional, { ...docs, type: 'integer', minimum: min, maximum: max }),
    ...presence(optional),
    IntegerValue({ min, max }),
  );
}

/** One of a fixed list of codes, or with `each` an array of them. */
export function ValidateEnum(
  values: readonly string[],
  { optional, each, ...docs }: Presence & Docs & { each?: boolean } = {},
): PropertyDecorator {
  return applyDecorators(
    documented(optional, { ...docs, enum: [...values], isArray: each === true }),
    ...presence(optional),
    ...(each ? [IsArray()] : []),
    IsIn(values, { each }),
  );
}

/** An ISO 8601 instant, a real calendar date (no 30 February). */
export function ValidateDateTime({ optional, ...docs }: Presence & Docs = {}): PropertyDecorator {
  return applyDecorators(documented(optional, { ...docs, type: String, format: 'date-time' }), ...presence(optional), IsISO8601({ strict: true }));
}
