import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { startInstance, type TestInstance } from '../instance.ts'
import { storeBackends } from '../stores.ts'

const [sqlite] = storeBackends

describe('slow and malformed clients (slowloris) on a real socket', () => {
  let t: TestInstance
  let port: number
  before(async () => {
    t = await startInstance(sqlite as NonNullable<typeof sqlite>)
    await t.instance.app.listen({ port: 0, host: '127.0.0.1' })
    const address = t.instance.app.server.address()
    port = typeof address === 'object' && address ? address.port : 0
  })
  after(() => t.close())

  it('cuts off a client that sends its headers byte by byte, while others are served at once', async () => {
    const socket = connect(port, '127.0.0.1')
    const started = performance.now()
    let answer = ''
    socket.on('data', (chunk) => {
      answer += chunk
    })
    const closed = new Promise<number>((resolve) =>
      socket.once('close', () => resolve(performance.now() - started)),
    )
    socket.write('GET /oauth2/jwks HTTP/1.1\r\nHost: 127.0.0.1\r\n')
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write('X')
    }, 300)
    try {
      // Another client meanwhile gets its answer promptly.
      const promptStart = performance.now()
      const response = await fetch(`http://127.0.0.1:${port}/oauth2/jwks`)
      assert.equal(response.status, 200)
      assert.ok(performance.now() - promptStart < 1000)
      const after = await closed
      assert.ok(after >= 9_000 && after < 13_000, `closed after ${Math.round(after)} ms`)
      assert.match(answer, /^HTTP\/1\.1 408 /)
    } finally {
      clearInterval(drip)
      socket.destroy()
    }
  })

  it('answers a malformed request 400 and keeps serving others', async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'))
      let text = ''
      socket.on('data', (chunk) => {
        text += chunk
      })
      socket.on('close', () => resolve(text))
    })
    assert.match(answer, /^HTTP\/1\.1 400 /)
    assert.equal((await fetch(`http://127.0.0.1:${port}/oauth2/jwks`)).status, 200)
  })
})
