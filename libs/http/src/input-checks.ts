import { FieldProblem } from '@nwd/errors';

/**
 * Deeper than any body of ours (a referral is 3 levels, an HSDS service 5); far below what the
 * recursive walks of Nest's ValidationPipe and class-transformer survive (a few thousand levels).
 */
export const MAX_INPUT_DEPTH = 32;

/** Enough to show a partner what is wrong without echoing a whole hostile body back. */
const MAX_PROBLEMS = 20;

/**
 * Names every object inherits, and `prototype`. They never reach `forbidNonWhitelisted`: Nest's
 * ValidationPipe deletes `__proto__`, `prototype` and `constructor` from the input without a word,
 * and class-transformer does not copy a property whose name resolves to a function on the new
 * instance (`toString`, `hasOwnProperty`, `valueOf`, …), so class-validator never sees them and the
 * request goes through as if they were not there. They are refused here, before either runs.
 */
const PROTOTYPE_PROPERTIES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * What no field of any request may hold, whatever its DTO says: a NUL character (PostgreSQL text
 * cannot store one, and the driver's error would surface as a 500), a property named after
 * Object.prototype, or nesting deeper than MAX_INPUT_DEPTH. Walks with its own queue, so a
 * hostile depth cannot overflow this check either. `root` names the value (a query or path
 * parameter's name; empty for a whole body or query), and each problem names its dotted path.
 */
export function inputProblems(value: unknown, root = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  // Breadth first, so problems come in the order a reader of the body meets them.
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  for (let next = 0; next < pending.length && problems.length < MAX_PROBLEMS; next++) {
    const { value: current, path, depth } = pending[next]!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) problems.push({ field: path || 'body', messages: [`${path || 'body'} must not contain a NUL character`] });
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      problems.push({ field: path || 'body', messages: [`${path || 'body'} is nested more than ${MAX_INPUT_DEPTH} levels deep`] });
      continue;
    }
    for (const key of Object.keys(current)) {
      const field = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) problems.push({ field, messages: [`property names must not contain a NUL character`] });
      else if (PROTOTYPE_PROPERTIES.has(key)) problems.push({ field, messages: [`property ${key} should not exist`] });
      else pending.push({ value: (current as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return problems;
}

/**
 * HTTP Basic credentials (the token endpoint's other way to send client_id and client_secret)
 * hold no NUL either: decoded from base64 and, as RFC 6749 §2.3.1 form-encodes them first, from
 * percent-encoding. Headers reach no pipe, so this is checked beside the body.
 */
export function basicCredentialProblems(authorization: string | undefined): FieldProblem[] {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return [];
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  let formDecoded = decoded;
  try {
    formDecoded = decodeURIComponent(decoded.replace(/\+/g, ' '));
  } catch {
    // Not percent-encoded: the token endpoint refuses it as it stands.
  }
  return decoded.includes('\u0000') || formDecoded.includes('\u0000')
    ? [{ field: 'authorization', messages: ['HTTP Basic credentials must not contain a NUL character'] }]
    : [];
}
