// Unit specs must pass on a machine without PostgreSQL or NATS (`npm run test:unit`). Pointing both at
// closed ports here makes a spec that reaches for either fail on every machine, not only on a bare one.
process.env.DATABASE_URL = 'postgres://postgres@127.0.0.1:1/unit-specs-have-no-database';
process.env.NATS_URL = 'nats://127.0.0.1:1';
