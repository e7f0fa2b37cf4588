// Two `keyshift serve --database-url` nodes on one PostgreSQL database (a fresh one per run, dropped
// at the end), with the same issuer, loaded together: one autocannon per node, half the
// connections each, as a load balancer would spread them. Targets: the token endpoint
// (keyshift-pg-2-nodes) and GET /api/invoices/:id with a bearer token (api-get-bearer-pg-2-nodes,
// on the demo data set: the single-record GET does not depend on the table's size).
// Without KEYSHIFT_TEST_DATABASE_URL or DATABASE_URL (a role that may CREATE DATABASE) they are
// skipped with a message saying so.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createTestDatabase } from '../../packages/server/test/test-database.ts'
import {
  benchDir,
  type Child,
  freePort,
  HOST,
  type RunningTarget,
  startChild,
  stopWithLog,
  waitForOk,
} from '../helpers.ts'
import { checkRecord, existingInvoiceId, SERVE_ARGS } from './api.ts'
import { checkToken, SCOPES } from './keyshift.ts'
import {
  adminPassword,
  CLI,
  createOAuthClient,
  fetchAccessToken,
  type TargetRequest,
  tokenRequestBody,
} from './keyshift-server.ts'

const ADMIN_URL = process.env.KEYSHIFT_TEST_DATABASE_URL || process.env.DATABASE_URL || undefined
const NODES = 2

/** Why the PostgreSQL targets do not run, or undefined when they do. */
export function postgresSkipReason(): string | undefined {
  if (ADMIN_URL) return undefined
  return (
    'no PostgreSQL: set KEYSHIFT_TEST_DATABASE_URL (or DATABASE_URL) to a role that may CREATE DATABASE, ' +
    'e.g. eval "$(bash scripts/dev-postgres.sh)"; each run uses a fresh database'
  )
}

export function startTokenOnPostgres(): Promise<RunningTarget> {
  return launchNodes('keyshift-pg-2-nodes', [], async function tokenRequest(base) {
    const client = await createOAuthClient(base, { name: 'bench', login: 'bench-pg', scopes: SCOPES })
    return {
      url: `${base}/oauth2/token`,
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: tokenRequestBody(client, SCOPES),
      check: checkToken,
    }
  })
}

export function startBearerGetOnPostgres(): Promise<RunningTarget> {
  return launchNodes('api-get-bearer-pg-2-nodes', ['--demo'], async function apiRequest(base) {
    const client = await createOAuthClient(base, {
      name: 'bench-api',
      login: 'bench-pg-api',
      scopes: ['core.invoice.read'],
    })
    const headers = {
      Authorization: `Bearer ${await fetchAccessToken(base, client)}`,
      Accept: 'application/json',
    }
    const id = await existingInvoiceId(base, headers)
    return { url: `${base}/api/invoices/${id}`, method: 'GET', headers, check: checkRecord }
  })
}

/**
 * Creates a fresh database, starts NODES servers on it (the first with `firstArgs`, e.g. --demo,
 * the others once it answers), runs `setup` against the first, and returns the request with every
 * node's URL. Stopping stops the nodes and drops the database.
 */
async function launchNodes(
  name: string,
  firstArgs: string[],
  setup: (base: string) => Promise<TargetRequest>,
): Promise<RunningTarget> {
  if (!ADMIN_URL) throw new Error(postgresSkipReason())
  const database = await createTestDatabase('ks_bench', ADMIN_URL)
  const ports = await Promise.all(Array.from({ length: NODES }, () => freePort()))
  const bases = ports.map((port) => `http://${HOST}:${port}`)
  // Behind a load balancer every node has the same issuer: a token of one is valid on all.
  const issuer = bases[0] ?? ''
  const children: Child[] = []
  const stop = async () => {
    for (const child of children) await child.stop()
    await database.drop()
  }
  const logTail = (lines?: number) => children.map((c) => `--- ${c.name} ---\n${c.logTail(lines)}`).join('\n')
  try {
    for (const [i, port] of ports.entries()) {
      // With --database-url, serve does not create its data folder, where --demo writes a file.
      const data = join(benchDir(), `${name}-node${i + 1}`)
      mkdirSync(data, { recursive: true, mode: 0o700 })
      const args = [
        ...[CLI, 'serve', '--port', String(port), '--host', HOST, '--issuer', issuer],
        ...['--data', data, '--database-url', database.databaseUrl],
        ...SERVE_ARGS,
        ...(i === 0 ? firstArgs : []),
      ]
      const child = startChild(`${name}-node${i + 1}`, args, { KEYSHIFT_ADMIN_PASSWORD: adminPassword() })
      children.push(child)
      await waitForOk(`${bases[i]}/.well-known/oauth-authorization-server`, child, 120_000).catch((err) =>
        stopWithLog(child, err),
      )
    }
    const target = await setup(issuer)
    const urls = bases.map((base) => target.url.replace(issuer, base))
    return { ...target, urls, stop, logTail }
  } catch (err) {
    const tail = logTail()
    await stop()
    throw new Error(`${(err as Error).message}${tail ? `\n${tail}` : ''}`)
  }
}
