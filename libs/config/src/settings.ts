import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';

/** Reads the raw variable (implicit conversion would already have turned 'false' into true). */
export const toBoolean = ({ obj, key }: { obj: Record<string, unknown>; key: string }): unknown => {
  const raw = obj[key];
  if (raw === true || raw === 'true' || raw === '1') return true;
  if (raw === false || raw === 'false' || raw === '0') return false;
  return raw;
};

/** A whole number of at least `min` (and at most `max`): counts, limits, seconds, ports. */
export function IntegerSetting(min: number, max?: number): PropertyDecorator {
  return applyDecorators(IsInt(), Min(min), ...(max === undefined ? [] : [Max(max)]));
}

/** `true`/`false` or `1`/`0`. */
export function BooleanSetting(): PropertyDecorator {
  return applyDecorators(Transform(toBoolean), IsBoolean());
}
