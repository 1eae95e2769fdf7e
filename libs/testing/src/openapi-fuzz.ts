import fc from 'fast-check';
import { FuzzOperation, JsonSchema } from './openapi-operations';

export interface FuzzRequest {
  method: FuzzOperation['method'];
  /** Path with its parameters filled in and the raw (already encoded) query string. */
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** Which credential was sent (`none`, `garbage`, or a role the test names). */
  credential: string;
  /** What was malformed, for the failure report. */
  mutation: string;
  /** True when the request is malformed in a way the operation must refuse (its body or its own parameters). */
  mustRefuse: boolean;
}

export interface FuzzContext {
  /** Bearer tokens by the name the report shows (e.g. `network-admin`, `staff`). */
  tokens: Record<string, string>;
  /** Real values for a path parameter of a path, so some requests get past the lookup to the domain code. */
  knownPathValue(path: string, param: string): string | undefined;
  /** A real value for a body property of that name (e.g. `receivingOrganizationId`). */
  knownBodyValue(property: string): unknown;
}

const PROTOTYPE_KEYS = ['constructor', 'hasOwnProperty', 'toString', '__proto__', 'valueOf', 'isPrototypeOf', 'prototype'];
const HUGE_NUMBERS = ['1e20', '99999999999999999999', '9007199254740993', '-1', '-99999999999999999999', '1.5', 'NaN', 'Infinity', '-0', '0x10', '1e-400', '', ' '];
const BAD_UUIDS = ['not-a-uuid', '00000000-0000-0000-0000-00000000000g', `${'a'.repeat(8)}-${'b'.repeat(4)}`, '../..', '%00', '0', 'null', 'x'.repeat(300)];
const BAD_BOOLEANS = ['yes', 'no', '1', '0', 'TRUE', 'False', 'on', ''];

const nulString = fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })).map(([a, b]) => `${a}\u0000${b}`);

/** A value of the wrong JSON type for `schema` (or of the right type but out of its range or enum). */
function wrongValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  const anyOther = fc.oneof(
    fc.constant(null),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant([]),
    fc.constant({}),
    fc.dictionary(fc.string({ maxLength: 6 }), fc.integer(), { maxKeys: 3 }),
  );
  switch (schema.type) {
    case 'string': {
      const options: fc.Arbitrary<unknown>[] = [fc.integer(), fc.boolean(), fc.constant(null), fc.constant({}), fc.constant([]), nulString];
      if (schema.enum) options.push(fc.constantFrom('not-in-enum', `${String(schema.enum[0])} `, String(schema.enum[0]).toUpperCase() + '!'));
      if (schema.format === 'uuid') options.push(fc.constantFrom(...BAD_UUIDS));
      if (schema.format === 'date-time' || schema.format === 'date') options.push(fc.constantFrom('yesterday', '2026-13-45', '99999-01-01T00:00:00Z', '2026-02-30'));
      if (schema.maxLength !== undefined) options.push(fc.integer({ min: schema.maxLength + 1, max: schema.maxLength + 200 }).map((n) => 'x'.repeat(n)));
      return fc.oneof(...options);
    }
    case 'integer':
    case 'number': {
      // Out of the documented range, or (for integers) not a safe integer at all: never a value the field takes.
      const outOfRange = [
        ...(schema.minimum !== undefined ? [schema.minimum - 1, -1e20] : []),
        ...(schema.maximum !== undefined ? [schema.maximum + 1, 1e20, Number.MAX_VALUE] : []),
        ...(schema.type === 'integer' ? [1.5, 1e20, 9007199254740993, -1e20] : []),
      ];
      return fc.oneof(
        ...(outOfRange.length ? [fc.constantFrom(...outOfRange)] : []),
        fc.constantFrom(...HUGE_NUMBERS),
        fc.boolean(),
        fc.constant(null),
        nulString,
      );
    }
    case 'boolean':
      return fc.oneof(fc.constantFrom<unknown>(...BAD_BOOLEANS, 1, 0, null, {}, []), nulString);
    case 'array':
      return fc.oneof(fc.constant('not-an-array'), fc.constant({}), fc.integer(), fc.array(wrongValue(schema.items ?? {}), { minLength: 1, maxLength: 3 }), fc.constant(null));
    case 'object':
      return fc.oneof(fc.constant('not-an-object'), fc.integer(), fc.constant([]), fc.constant(null), nulString);
    default:
      return fc.oneof(anyOther, nulString);
  }
}

/** A plausible value for `schema`, the base a single mutation then breaks. */
function baseValue(schema: JsonSchema, name: string, context: FuzzContext): unknown {
  const known = context.knownBodyValue(name);
  if (known !== undefined) return known;
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type) {
    case 'string':
      if (schema.format === 'uuid') return '0190a3e0-0000-7000-8000-000000000000';
      if (schema.format === 'date-time') return '2026-01-05T15:00:00Z';
      if (schema.format === 'date') return '1980-01-01';
      if (schema.format === 'email') return 'fuzz@example.org';
      return 'fuzz';
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return [baseValue(schema.items ?? {}, name, context)];
    case 'object':
    default: {
      if (!schema.properties) return {};
      return Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, baseValue(v, k, context)]));
    }
  }
}

/** Dotted paths of every property under `schema` (nested objects and array items included), with their schemas. */
function propertyPaths(schema: JsonSchema, prefix: string[] = []): { path: string[]; schema: JsonSchema; required: boolean }[] {
  const paths: { path: string[]; schema: JsonSchema; required: boolean }[] = [];
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    const path = [...prefix, name];
    paths.push({ path, schema: child, required: (schema.required ?? []).includes(name) });
    if (child.properties) paths.push(...propertyPaths(child, path));
    if (child.items?.properties) paths.push(...propertyPaths(child.items, [...path, '0']));
  }
  return paths;
}

function withValueAt(base: unknown, path: string[], value: unknown | typeof REMOVE): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  if (value === REMOVE) delete node[path[path.length - 1]!];
  else node[path[path.length - 1]!] = value;
  return copy;
}

const REMOVE = Symbol('remove');

/** JSON text of `base` with the value at `path` replaced by raw JSON text (too deep for JSON.stringify). */
function jsonWithRaw(base: unknown, path: string[], raw: string): string {
  const marker = '"__fuzz_raw_marker__"';
  return JSON.stringify(withValueAt(base, path, '__fuzz_raw_marker__')).replace(marker, () => raw);
}

/** JSON text nested `depth` deep, in arrays or in objects. */
function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** JSON text with a property named `key` added at `path` (JSON.stringify cannot write `__proto__` as an own key). */
function jsonWithKey(base: unknown, path: string[], key: string): string {
  const marker = `"__fuzz_marker__":0`;
  const text = JSON.stringify(withValueAt(base, [...path, '__fuzz_marker__'], 0));
  return text.replace(marker, `${JSON.stringify(key)}:"x"`);
}

type Part = Omit<FuzzRequest, 'method' | 'url' | 'headers' | 'credential'> & {
  contentType?: string;
  pathValues?: Record<string, string>;
  query?: string;
  headers?: Record<string, string>;
  credential?: string;
};

/** Malformed requests for one operation: each breaks one thing (body, a parameter, content type, credentials). */
export function malformedRequests(operation: FuzzOperation, context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const tokenNames = Object.keys(context.tokens);
  const bodySchema = operation.body?.schema ?? {};
  const base = operation.body ? baseValue(bodySchema, '', context) : undefined;
  const json = 'application/json';

  const parts: fc.Arbitrary<Part>[] = [];

  if (operation.body) {
    const refuse = operation.body.documented;
    const properties = propertyPaths(bodySchema);
    if (properties.length) {
      parts.push(
        fc.constantFrom(...properties).chain(({ path, schema, required }) =>
          // class-validator's IsOptional takes null for "absent": for an optional field it can mean "clear it".
          wrongValue(schema).filter((value) => value !== null || (required && !schema.nullable)).map((value) => ({
            payload: JSON.stringify(withValueAt(base, path, value)),
            contentType: json,
            mutation: `body ${path.join('.')} = ${preview(value)}`,
            mustRefuse: refuse,
          })),
        ),
      );
      const required = properties.filter((p) => p.required);
      if (required.length) {
        parts.push(
          fc.constantFrom(...required).map(({ path }) => ({
            payload: JSON.stringify(withValueAt(base, path, REMOVE)),
            mutation: `body without ${path.join('.')}`,
            mustRefuse: refuse,
          })),
        );
      }
    }
    const objectPaths = [[], ...propertyPaths(bodySchema).filter((p) => p.schema.properties).map((p) => p.path)];
    parts.push(
      fc
        .tuple(fc.constantFrom(...objectPaths), fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.constantFrom('unexpected', 'isAdmin', 'id', 'organizationId', '')))
        .map(([path, key]) => ({ payload: jsonWithKey(base, path, key), mutation: `body with extra ${[...path, key].join('.')}`, mustRefuse: refuse })),
      fc
        .tuple(fc.integer({ min: 33, max: 12_000 }), fc.constantFrom<'array' | 'object'>('array', 'object'), fc.constantFrom(...objectPaths, ...propertyPaths(bodySchema).map((p) => p.path)))
        .map(([depth, kind, path]) => ({
          payload: path.length ? jsonWithRaw(base, path, deepJson(depth, kind)) : deepJson(depth, kind),
          mutation: `JSON nested ${depth} deep (${kind}s) at ${path.join('.') || 'the root'}`,
          mustRefuse: refuse,
        })),
      fc.constantFrom('{', '{"a":}', '[1,]', 'nul', '"unterminated', '{"a":1}}', '\u0000', "{'single':'quotes'}").map((text) => ({
        payload: text,
        mutation: `malformed JSON ${preview(text)}`,
        mustRefuse: refuse,
      })),
      fc.constantFrom('[]', '"a string"', '42', 'null', 'true', '[{}]', `"${'x'.repeat(1_100_000)}"`).map((text) => ({ payload: text, mutation: `JSON body ${preview(text)}`, mustRefuse: refuse })),
      fc
        .constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/x-www-form-urlencoded')
        .map((contentType) => ({ payload: JSON.stringify(base), contentType, mutation: `content type ${contentType}`, mustRefuse: refuse })),
      fc.constantFrom(...topLevelNames(bodySchema)).chain((name) =>
        nulString.map((value) => ({
          payload: formBody({ ...(formFields(base)), [name]: value }),
          contentType: 'application/x-www-form-urlencoded',
          mutation: `form body ${name} with a NUL byte`,
          mustRefuse: refuse,
        })),
      ),
    );
  }

  for (const parameter of operation.query) {
    parts.push(
      queryValue(parameter.schema).map((raw) => ({ query: `${parameter.name}=${raw}`, mutation: `query ${parameter.name}=${raw}`, mustRefuse: false })),
      fc.constant({ query: `${parameter.name}=1&${parameter.name}=2`, mutation: `query ${parameter.name} twice`, mustRefuse: false }),
    );
  }
  parts.push(
    fc
      .tuple(fc.constantFrom(...PROTOTYPE_KEYS, 'unexpected'), fc.oneof(fc.constant('x'), nulString.map(encodeURIComponent)))
      .map(([key, value]) => ({ query: `${encodeURIComponent(key)}=${value}`, mutation: `query with extra ${key}=${value}`, mustRefuse: false })),
    fc.constantFrom('%', '%E0%A4%A', '%ZZ', '&&=&', '=x', 'a[b]=1', 'a[__proto__][x]=1').map((query) => ({ query, mutation: `raw query ${query}`, mustRefuse: false })),
  );

  for (const param of operation.pathParams) {
    parts.push(
      fc
        .oneof(fc.constantFrom(...BAD_UUIDS), nulString.map(encodeURIComponent), fc.uuid(), fc.constant('x'.repeat(5000)))
        .map((value) => ({ pathValues: { [param]: value }, mutation: `path ${param}=${preview(value)}`, mustRefuse: false })),
    );
  }

  parts.push(
    fc
      .constantFrom(
        'none',
        'Bearer garbage',
        'Bearer ',
        'Basic !!!',
        `Basic ${Buffer.from('a\u0000b:secret').toString('base64')}`,
        `Basic ${Buffer.from('a%00b:secret').toString('base64')}`,
        'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
        'Digest x',
      )
      .map((auth) => ({ credential: auth, mutation: `authorization ${auth}`, mustRefuse: false })),
    fc
      .constantFrom('', 'x'.repeat(2000), ' leading', '\t')
      .map((key) => ({ headers: { 'idempotency-key': key }, mutation: `Idempotency-Key ${preview(key)}`, mustRefuse: false })),
  );

  const isWrite = operation.method !== 'GET';
  const firstRequired = operation.body?.documented ? propertyPaths(bodySchema).find((p) => p.required && p.path.length === 1) : undefined;
  // An operation only a few of the tokens may call (org-admin alone, say) would see most requests
  // stop at the role check: half of its requests carry one of those tokens, so its own checks are fuzzed too.
  const allowed = tokenNames.filter((name) => operation.roles?.includes(name.split(' ')[0]!));
  const anyToken = fc.constantFrom(...tokenNames, 'none');
  const tokens = allowed.length && allowed.length * 2 <= tokenNames.length ? fc.oneof(anyToken, fc.constantFrom(...allowed)) : anyToken;
  return fc.tuple(fc.oneof(...parts), tokens).map(([part, chosen]) => {
    // A write whose body is left valid (a query, header or path mutation) could be a valid request,
    // and the fuzzer must not change what it measures: it loses a required field, or, with none to
    // lose, its token. (Writes with path parameters get ids that do not exist, below.)
    let token = chosen;
    if (isWrite && !part.mustRefuse && !operation.pathParams.length) {
      if (firstRequired && part.payload === undefined) {
        part = { ...part, payload: JSON.stringify(withValueAt(base, firstRequired.path, REMOVE)), mutation: `${part.mutation}, body without ${firstRequired.path[0]}`, mustRefuse: true };
      } else {
        token = 'none';
      }
    }
    // Real ids only where the request must be refused anyway: a valid request with an ignored
    // parameter could then rotate or revoke the clients the fuzzer signs in with.
    const pathValues = Object.fromEntries(
      operation.pathParams.map((p) => [
        p,
        part.pathValues?.[p] ?? (part.mustRefuse || operation.method === 'GET' ? (context.knownPathValue(operation.path, p) ?? '0190a3e0-0000-7000-8000-00000000dead') : '0190a3e0-0000-7000-8000-00000000dead'),
      ]),
    );
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => pathValues[name]!);
    const credential = part.credential ?? token;
    const headers: Record<string, string> = { ...part.headers };
    const authorization = credential === 'none' ? undefined : (context.tokens[credential] !== undefined ? `Bearer ${context.tokens[credential]}` : credential);
    if (authorization) headers.authorization = authorization;
    let payload = part.payload;
    if (payload === undefined && operation.body) payload = JSON.stringify(base);
    if (payload !== undefined) headers['content-type'] = part.contentType ?? (operation.body?.contentTypes.includes(json) ? json : operation.body!.contentTypes[0]!);
    return {
      method: operation.method,
      url: part.query ? `${path}?${part.query}` : path,
      headers,
      payload,
      credential: credential === 'none' || context.tokens[credential] !== undefined ? credential : `authorization ${credential}`,
      mutation: part.mutation,
      mustRefuse: part.mustRefuse,
    };
  });
}

/** The base's top-level text fields, as a form would carry them. */
function formFields(base: unknown): Record<string, string> {
  if (typeof base !== 'object' || base === null) return {};
  return Object.fromEntries(Object.entries(base).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function formBody(fields: Record<string, string>): string {
  return Object.entries(fields).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

function topLevelNames(schema: JsonSchema): string[] {
  const names = Object.keys(schema.properties ?? {});
  return names.length ? names : ['field'];
}

/** A raw, encoded query value that breaks `schema`. */
function queryValue(schema: JsonSchema): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [nulString.map(encodeURIComponent), fc.constantFrom(...HUGE_NUMBERS).map(encodeURIComponent)];
  if (schema.enum) options.push(fc.constantFrom('not-in-enum', `${String(schema.enum[0])}%00`));
  if (schema.format === 'uuid') options.push(fc.constantFrom(...BAD_UUIDS).map(encodeURIComponent));
  if (schema.type === 'boolean') options.push(fc.constantFrom(...BAD_BOOLEANS).map(encodeURIComponent));
  if (schema.maxLength !== undefined) options.push(fc.constant('x'.repeat(schema.maxLength + 1)));
  if (schema.type === 'string' && !schema.enum && !schema.format) options.push(fc.constantFrom('2026-13-45', 'yesterday', '1e20'));
  return fc.oneof(...options);
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}… (${text.length} chars)` : text;
}
