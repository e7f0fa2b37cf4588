/** Test helpers: run the CLI in-process with captured output, and fake HTTP servers on 127.0.0.1. */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Context } from '../src/command.ts'
import { main } from '../src/main.ts'

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `keyshift <argv>` with an empty environment unless `env` is given. */
export async function run(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
  overrides: Partial<Omit<Context, 'env' | 'io'>> = {},
): Promise<RunResult> {
  let stdout = ''
  let stderr = ''
  const io = {
    stdout: (text: string) => {
      stdout += text
    },
    stderr: (text: string) => {
      stderr += text
    },
  }
  const code = await main(argv, env, { io, ...overrides })
  return { code, stdout, stderr }
}

export interface RecordedRequest {
  method: string
  /** Path and query. */
  url: string
  headers: IncomingHttpHeaders
  body: string
}

export interface FakeResponse {
  status: number
  headers?: Record<string, string>
  /** An object is sent as JSON (problem+json when status ≥ 400 and no content-type is given). */
  body?: unknown
}

export interface FakeServer {
  /** http://127.0.0.1:<port> */
  url: string
  requests: RecordedRequest[]
  close(): Promise<void>
}

function contentType(response: FakeResponse): string {
  return response.status >= 400 ? 'application/problem+json' : 'application/json'
}

/** An HTTP server on a free loopback port that records each request and answers with `respond`. */
export async function fakeServer(respond: (request: RecordedRequest) => FakeResponse): Promise<FakeServer> {
  const requests: RecordedRequest[] = []
  const server = createServer(function fakeHandler(req, res) {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(request)
      const response = respond(request)
      const headers: Record<string, string> = { ...response.headers }
      let body = ''
      if (typeof response.body === 'string') body = response.body
      else if (response.body !== undefined) {
        body = JSON.stringify(response.body)
        headers['content-type'] ??= contentType(response)
      }
      res.writeHead(response.status, headers).end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** A fetch that fails as undici does when the connection is refused. */
export function refusingFetch(): typeof fetch {
  return async function refusedFetch() {
    throw new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    })
  }
}
