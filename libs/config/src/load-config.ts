import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';

export interface ConfigProblem {
  variable: string;
  problems: string[];
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      'Invalid configuration: ' +
        problems.map((p) => `${p.variable} (${p.problems.join('; ')})`).join(', '),
    );
    this.name = 'ConfigValidationError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads a config class from the environment. Each property of the class is named after its
 * variable, carries a default, and class-validator rules; a missing or invalid variable
 * raises one error naming every offending variable.
 */
export function loadConfig<T extends object>(schema: new () => T, env: Env = process.env): T {
  const defaults = new schema();
  const given: Record<string, unknown> = {};
  const declared = getMetadataStorage()
    .getTargetValidationMetadatas(schema, '', true, false)
    .map((m) => m.propertyName);
  for (const key of new Set([...Object.keys(defaults), ...declared])) {
    // Only UPPER_CASE properties are variables; the rest (serviceName) are fixed by the class.
    if (!/^[A-Z][A-Z0-9_]*$/.test(key)) continue;
    const raw = env[key];
    if (raw !== undefined && raw !== '') given[key] = raw;
  }
  const config = plainToInstance(schema, { ...defaults, ...given }, { enableImplicitConversion: true });
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigValidationError(errors.map(toProblem));
  return Object.freeze(config);
}

/** Overrides for tests and tools: same validation, explicit values instead of the environment. */
export function buildConfig<T extends object>(schema: new () => T, values: Partial<Record<keyof T, unknown>>): T {
  const env: Env = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) env[key] = String(value);
  return loadConfig(schema, env);
}

function toProblem(error: ValidationError): ConfigProblem {
  return { variable: error.property, problems: Object.values(error.constraints ?? { invalid: 'is invalid' }) };
}
