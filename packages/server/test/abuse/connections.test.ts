/**
 * Issue 13, finding 7: idle keep-alive connections are closed after a few seconds (Fastify's
 * default kept them 72 s), and one address may hold only so many connections: the next ones are
 * closed as they are accepted. Real sockets on 127.0.0.1; the waits are of a second or two, and
 * nothing here measures speed.
 */
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { ConfigError, readServeConfig } from '../../src/config.ts'
import { startInstance, type TestInstance } from '../instance.ts'
import { storeBackends } from '../stores.ts'

const [sqlite] = storeBackends
const REQUEST = 'GET /oauth2/jwks HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'

/** A connection to 127.0.0.1:port, once connected, with what it reads and when it closes. */
async function open(port: number) {
  const socket = connect(port, '127.0.0.1')
  let received = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    received += chunk
  })
  socket.on('error', () => {})
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  return {
    socket,
    closed,
    isClosed: () => socket.destroyed || socket.readyState === 'closed',
    received: () => received,
    /** Sends a request and waits for a whole answer (JWKS ends with `]}`), or the close. */
    async ask(): Promise<string> {
      const from = received.length
      socket.write(REQUEST)
      const answered = (async () => {
        while (!/\]\}$/.test(received.slice(from))) await sleep(10)
      })()
      await Promise.race([answered, closed])
      return received.slice(from)
    },
  }
}

/** Resolves true once `promise` settles, or false after `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
  })
  try {
    return await Promise.race([promise.then(() => true), timeout])
  } finally {
    clearTimeout(timer)
  }
}

async function listening(options: Parameters<typeof startInstance>[1]) {
  const t = await startInstance(sqlite as NonNullable<typeof sqlite>, options)
  await t.instance.app.listen({ port: 0, host: '127.0.0.1' })
  const address = t.instance.app.server.address()
  return { t, port: typeof address === 'object' && address ? address.port : 0 }
}

describe('keep-alive connections on a real socket', () => {
  let t: TestInstance
  let port: number
  before(async () => {
    ;({ t, port } = await listening({ connections: { keepAliveTimeoutMs: 1_000 } }))
  })
  after(() => t.close())

  it('closes a connection left idle after an answer, once the keep-alive timeout has passed', async () => {
    const client = await open(port)
    try {
      const answer = await client.ask()
      assert.match(answer, /^HTTP\/1\.1 200 /)
      assert.match(answer, /\r\nconnection: keep-alive\r\n/i)
      assert.match(answer, /\r\nkeep-alive: timeout=1\r\n/i)
      assert.equal(client.isClosed(), false, 'kept open for the next request')
      // Closed by the server well before Fastify's old 72 s default.
      assert.ok(await within(client.closed, 5_000), 'the idle connection is still open after 5 s')
    } finally {
      client.socket.destroy()
    }
  })

  it('uses 5 s (Node’s default) unless told otherwise', async () => {
    const { t: other } = await listening({})
    try {
      assert.equal(other.instance.app.server.keepAliveTimeout, 5_000)
    } finally {
      await other.close()
    }
  })
})

describe('the limit of connections per address on a real socket', () => {
  let t: TestInstance
  let port: number
  const LIMIT = 3
  before(async () => {
    ;({ t, port } = await listening({ connections: { maxPerAddress: LIMIT, keepAliveTimeoutMs: 60_000 } }))
  })
  after(() => t.close())

  it('closes the connection beyond the limit at once, serves the others, and counts a closed one down', async () => {
    const clients: Array<Awaited<ReturnType<typeof open>>> = []
    try {
      for (let i = 0; i < LIMIT; i++) {
        const client = await open(port)
        clients.push(client)
        assert.match(await client.ask(), /^HTTP\/1\.1 200 /, `connection ${i + 1}`)
      }
      const extra = await open(port)
      clients.push(extra)
      assert.ok(await within(extra.closed, 2_000), `connection ${LIMIT + 1} is still open`)
      assert.equal(extra.received(), '', 'nothing is read from, or answered to, a refused connection')

      // The others go on being served.
      for (const client of clients.slice(0, LIMIT)) assert.match(await client.ask(), /^HTTP\/1\.1 200 /)

      // One closes: a new connection is accepted again.
      clients[0]?.socket.destroy()
      await clients[0]?.closed
      await sleep(100)
      const next = await open(port)
      clients.push(next)
      assert.match(await next.ask(), /^HTTP\/1\.1 200 /)
      assert.equal(next.isClosed(), false)
    } finally {
      for (const client of clients) client.socket.destroy()
    }
  })
})

describe('keyshift serve settings of connections', () => {
  it('defaults to a 5 s keep-alive timeout and 256 connections per address', () => {
    const config = readServeConfig([], {})
    assert.equal(config.keepAliveTimeoutSeconds, 5)
    assert.equal(config.maxConnectionsPerAddress, 256)
  })

  it('reads flags first, then the environment; off turns the limit off', () => {
    const flags = readServeConfig(['--keep-alive-timeout', '65', '--connections-per-address', '1000'], {
      KEYSHIFT_KEEP_ALIVE_TIMEOUT: '7',
      KEYSHIFT_CONNECTIONS_PER_ADDRESS: '9',
    })
    assert.equal(flags.keepAliveTimeoutSeconds, 65)
    assert.equal(flags.maxConnectionsPerAddress, 1000)
    const env = readServeConfig([], {
      KEYSHIFT_KEEP_ALIVE_TIMEOUT: '7',
      KEYSHIFT_CONNECTIONS_PER_ADDRESS: 'off',
    })
    assert.equal(env.keepAliveTimeoutSeconds, 7)
    assert.equal(env.maxConnectionsPerAddress, false)
  })

  it('names the setting and what would be right', () => {
    for (const value of ['0', '601', '1.5', 'soon']) {
      assert.throws(
        () => readServeConfig(['--keep-alive-timeout', value], {}),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError)
          assert.match(
            error.message,
            /--keep-alive-timeout\/KEYSHIFT_KEEP_ALIVE_TIMEOUT: must be whole seconds from 1 to 600/,
          )
          return true
        },
      )
    }
    for (const value of ['0', '65536', '-1', '2.5', 'none', '0256']) {
      assert.throws(() => readServeConfig([], { KEYSHIFT_CONNECTIONS_PER_ADDRESS: value }), {
        message:
          /--connections-per-address\/KEYSHIFT_CONNECTIONS_PER_ADDRESS: must be a whole number from 1 to 65535, or off/,
      })
    }
  })
})
