// Cold start: from process start to the first 200 of the token endpoint, `keyshift serve` run as
// installed (the compiled bin, bin/keyshift.cjs → dist/) against the same command run from the
// TypeScript sources through tsx (bench/probes/keyshift-from-source.cjs, how the bin ran before the
// build). Both on one data folder made once (the store migrated, a client made), alternately,
// `rounds` times each; the medians and their ratio (goal: compiled ≤ 0.5 × tsx).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, HOST, request, startChild } from '../helpers.ts'
import type { ColdStart } from '../timings.ts'
import {
  CLI,
  createOAuthClient,
  launchKeyshift,
  type OAuthClient,
  tokenRequestBody,
} from './keyshift-server.ts'

const FROM_SOURCE = join('bench', 'probes', 'keyshift-from-source.cjs')

export async function timeColdStart(rounds = 5): Promise<ColdStart> {
  const data = mkdtempSync(join(tmpdir(), 'keyshift-bench-cold-'))
  try {
    const client = await prepare(data)
    const compiledMs: number[] = []
    const tsxMs: number[] = []
    for (let round = 0; round < rounds; round++) {
      compiledMs.push(await timeStart('cold-compiled', [CLI], data, client))
      tsxMs.push(await timeStart('cold-tsx', [FROM_SOURCE], data, client))
    }
    const compiled = median(compiledMs)
    const tsx = median(tsxMs)
    return {
      compiledMs: compiled,
      tsxMs: tsx,
      ratio: compiled / tsx,
      compiledRuns: compiledMs,
      tsxRuns: tsxMs,
    }
  } finally {
    rmSync(data, { recursive: true, force: true })
  }
}

/** A data folder with a migrated store, signing keys and one client: what a restart finds. */
async function prepare(data: string): Promise<OAuthClient> {
  let client: OAuthClient | undefined
  const server = await launchKeyshift('cold-prepare', { data }, async (base) => {
    client = await createOAuthClient(base, {
      name: 'cold start',
      login: 'cold-start',
      scopes: ['core.invoice.read'],
    })
    return { url: `${base}/oauth2/token`, method: 'POST', headers: {}, check: () => {} }
  })
  await server.stop()
  if (!client) throw new Error('cold start: no client was made')
  return client
}

/** Milliseconds from spawning `command serve` to its first 200 from the token endpoint. */
async function timeStart(
  name: string,
  command: string[],
  data: string,
  client: OAuthClient,
): Promise<number> {
  const port = await freePort()
  const url = `http://${HOST}:${port}/oauth2/token`
  const started = performance.now()
  const child = startChild(name, [
    ...command,
    'serve',
    '--port',
    String(port),
    '--host',
    HOST,
    '--data',
    data,
    '--log-level',
    'warn',
  ])
  try {
    for (;;) {
      const answer = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: tokenRequestBody(client),
      }).catch(() => undefined)
      if (answer?.status === 200) return performance.now() - started
      if (performance.now() - started > 60_000)
        throw new Error(`${name}: no token within 60 s\n${child.logTail()}`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  } finally {
    await child.stop()
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}
