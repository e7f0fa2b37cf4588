/**
 * Microbenchmark: the cost of `await tokens.getToken()` on a cached token. The cached path is a
 * clock read, a comparison and a promise made once per token, so this is mostly the cost of the
 * `await` itself. Goal: under 1 µs per call.
 *
 * Run alone: `node --import tsx packages/client/bench/get-token.ts [iterations]`.
 */
import { argv } from 'node:process'
import { pathToFileURL } from 'node:url'
import { createTokenManager } from '../src/index.ts'

/** Options of {@link benchGetToken}. */
export interface GetTokenBenchOptions {
  /** Calls measured (default 1e6). */
  iterations?: number
  /** Calls made before measuring, so the JIT has settled (default 1e5). */
  warmup?: number
}

function cachedTokenManager() {
  const body = JSON.stringify({
    access_token: 'eyJhbGciOiJFUzI1NiJ9.e30.sig',
    token_type: 'bearer',
    expires_in: 86399,
  })
  return createTokenManager({
    tokenUrl: 'https://bench.invalid/oauth2/token',
    clientId: 'bench',
    clientSecret: 'bench-secret',
    scope: 'core.invoice.read',
    fetch: async function answerToken() {
      return new Response(body, { headers: { 'content-type': 'application/json' } })
    },
  })
}

/**
 * Measures the average cost of `await getToken()` on a cached token, in nanoseconds per call.
 *
 * @example
 * const nsPerOp = await benchGetToken({ iterations: 1e6 })
 * console.log(`getToken (cached): ${nsPerOp.toFixed(0)} ns/op`)
 */
export async function benchGetToken(options: GetTokenBenchOptions = {}): Promise<number> {
  const iterations = options.iterations ?? 1e6
  const warmup = options.warmup ?? 1e5
  const tokens = cachedTokenManager()
  try {
    const token = await tokens.getToken()
    for (let i = 0; i < warmup; i++) await tokens.getToken()
    let check = 0
    const start = process.hrtime.bigint()
    for (let i = 0; i < iterations; i++) check += (await tokens.getToken()).length
    const elapsed = Number(process.hrtime.bigint() - start)
    if (check !== token.length * iterations)
      throw new Error('getToken returned another token during the benchmark')
    return elapsed / iterations
  } finally {
    await tokens.close()
  }
}

if (argv[1] !== undefined && import.meta.url === pathToFileURL(argv[1]).href) {
  const iterations = Number(argv[2] ?? 1e6)
  const nsPerOp = await benchGetToken({ iterations })
  console.log(`getToken (cached): ${nsPerOp.toFixed(1)} ns/op over ${iterations} calls`)
}
