/** The parts of an OpenAPI 3 document the fuzzer reads. */
export interface JsonSchema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  maxLength?: number;
  minimum?: number;
  nullable?: boolean;
  maximum?: number;
  allOf?: JsonSchema[];
}

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
  security?: unknown[];
  responses?: Record<string, { description?: string }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface FuzzOperation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The documented path, e.g. `/v1/referrals/{id}/status`. */
  path: string;
  pathParams: string[];
  query: { name: string; schema: JsonSchema }[];
  /**
   * Absent for GET and DELETE without one. A POST, PUT or PATCH that documents none still gets
   * bodies (`documented: false`): the handler may ignore them, so they need not be refused.
   */
  body?: { contentTypes: string[]; schema: JsonSchema; documented: boolean };
  /** The roles its 403 documents (`Requires one of the roles: …`), when it names them. */
  roles?: string[];
}

/** Every operation of a document, with `$ref`s resolved so generators see whole schemas. */
export function operationsOf(document: OpenApiDocument): FuzzOperation[] {
  const resolve = (schema: JsonSchema | undefined, depth = 0): JsonSchema => {
    if (!schema || depth > 8) return {};
    if (schema.$ref) return resolve(document.components?.schemas?.[schema.$ref.split('/').pop()!], depth + 1);
    if (schema.allOf) return schema.allOf.reduce<JsonSchema>((all, s) => mergeSchemas(all, resolve(s, depth + 1)), {});
    return {
      ...schema,
      ...(schema.properties && {
        properties: Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, depth + 1)])),
      }),
      ...(schema.items && { items: resolve(schema.items, depth + 1) }),
    };
  };
  const operations: FuzzOperation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = operation.parameters ?? [];
      const content = operation.requestBody?.content;
      const roles = /Requires one of the roles: (.+)$/.exec(operation.responses?.['403']?.description ?? '')?.[1]?.split(', ');
      operations.push({
        ...(roles ? { roles } : {}),
        method: method.toUpperCase() as FuzzOperation['method'],
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: resolve(p.schema) })),
        body: content
          ? { contentTypes: Object.keys(content), schema: resolve(Object.values(content)[0]?.schema), documented: true }
          : ['POST', 'PUT', 'PATCH'].includes(method.toUpperCase())
            ? { contentTypes: ['application/json'], schema: {}, documented: false }
            : undefined,
      });
    }
  }
  return operations;
}

function mergeSchemas(a: JsonSchema, b: JsonSchema): JsonSchema {
  return {
    ...a,
    ...b,
    properties: { ...a.properties, ...b.properties },
    required: [...(a.required ?? []), ...(b.required ?? [])],
  };
}
