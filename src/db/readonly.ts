/**
 * Read-only access for the API, in two guards:
 *
 * 1. a Postgres role, `icn_api_ro`, that may connect and SELECT from the
 *    tables of the index's schemas (public; on a multi-chain network each chain's) (now and, through default privileges, those the
 *    admin creates later) and nothing else; `npm start` creates it after the
 *    migrations and hands its URL to the API as API_DATABASE_URL;
 * 2. every API session starts with default_transaction_read_only=on, so even
 *    a URL with more rights (a user's DATABASE_URL where the role could not be
 *    created) cannot write through the API.
 */
import crypto from 'node:crypto'
import { Client } from 'pg'

export const API_ROLE = 'icn_api_ro'

/** `url` with `-c default_transaction_read_only=on` added to its startup options. */
export function readOnlySessionUrl(url: string): string {
  const u = new URL(url)
  const guard = '-c default_transaction_read_only=on'
  const options = u.searchParams.get('options')
  u.searchParams.set('options', options ? `${options} ${guard}` : guard)
  return u.toString()
}

/**
 * The role's password, derived from the admin's credentials: stable across
 * restarts and the same for every caller on one server (so two starts never
 * rotate it under each other), and unknown to anyone without the admin's.
 */
function rolePassword(adminUrl: string): string {
  const u = new URL(adminUrl)
  return crypto.createHmac('sha256', `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).update(`${API_ROLE}@${u.host}`).digest('base64url')
}

export type ReadOnlyAccess = { url: string; role: string } | { reason: string }

// Role DDL takes no bound parameters: the password travels as a bound value
// into a transaction-local setting, and format() quotes it (%L) and the
// database name (%I) inside Postgres; no SQL text is built here.
const CREATE_OR_UPDATE_ROLE = `
DO $$
BEGIN
  BEGIN
    EXECUTE format('CREATE ROLE icn_api_ro LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L', current_setting('icn.api_ro_password'));
  EXCEPTION WHEN duplicate_object OR unique_violation THEN
    EXECUTE format('ALTER ROLE icn_api_ro LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L', current_setting('icn.api_ro_password'));
  END;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO icn_api_ro', current_database());
END
$$`

/** The grants on one schema of tables (`schema` is a constant: public, or chain_<name> from a validated preset). */
const grants = (schema: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`not a schema name: ${schema}`)
  return [
    `GRANT USAGE ON SCHEMA ${schema} TO icn_api_ro`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO icn_api_ro`,
    // Tables the admin (the indexer's migrations) creates later are readable too.
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT ON TABLES TO icn_api_ro`,
  ]
}

// Concurrent role changes from two databases of one server can collide on the
// shared catalogs ("tuple concurrently updated"); a retry then succeeds.
const RETRYABLE = new Set(['XX000', '23505', '42710', '40001', '40P01'])

/**
 * Creates or updates the API's read-only role on the database at `adminUrl`
 * and returns the URL to connect as it; when the admin may not create roles,
 * returns the reason instead (the caller falls back to read-only sessions).
 */
export async function ensureReadOnlyRole(adminUrl: string, schemas: string[] = ['public']): Promise<ReadOnlyAccess> {
  const password = rolePassword(adminUrl)
  const c = new Client({ connectionString: adminUrl })
  await c.connect()
  try {
    const who = await c.query<{ user: string; can: boolean }>(
      'SELECT current_user AS user, rolsuper OR rolcreaterole AS can FROM pg_roles WHERE rolname = current_user',
    )
    if (!who.rows[0]?.can) return { reason: `${who.rows[0]?.user ?? 'the database user'} may not create roles (needs CREATEROLE)` }
    for (let attempt = 1; ; attempt++) {
      try {
        await c.query('BEGIN')
        await c.query(`SELECT set_config('icn.api_ro_password', $1, true)`, [password])
        await c.query(CREATE_OR_UPDATE_ROLE)
        await c.query('ALTER ROLE icn_api_ro SET default_transaction_read_only = on')
        for (const g of schemas.flatMap(grants)) await c.query(g)
        await c.query('COMMIT')
        break
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {})
        const code = (e as { code?: string }).code
        if (code === '42501') return { reason: `the database user may not grant on the tables (${(e as Error).message})` }
        if (attempt >= 5 || !code || !RETRYABLE.has(code)) throw e
        await new Promise((r) => setTimeout(r, 50 * attempt))
      }
    }
  } finally {
    await c.end().catch(() => {})
  }
  const u = new URL(adminUrl)
  u.username = API_ROLE
  u.password = password
  return { url: u.toString(), role: API_ROLE }
}
