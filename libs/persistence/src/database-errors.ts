/** PostgreSQL's unique_violation, as pg raises it or as TypeORM wraps it; with `constraint`, only on that one. */
export function isDuplicateKey(error: unknown, constraint?: string): boolean {
  const raised = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? (error as { code?: string; constraint?: string });
  return raised?.code === '23505' && (constraint === undefined || raised.constraint === constraint);
}
