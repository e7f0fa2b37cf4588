import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { type IncomingMessage, request } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { type FakeInstance, startFakeInstance } from './fake-instance.ts'
import { agentYaml, bearer, call, ENV, type RunningAgent, startAgent } from './helpers.ts'

const MiB = 1024 * 1024

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {}
  const promise = new Promise<void>((done) => {
    resolve = done
  })
  return { promise, resolve }
}

async function bodyOf(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

describe('keyshift agent: 401 from the instance with OAuth', () => {
  let instance: FakeInstance
  let running: RunningAgent
  before(async () => {
    instance = await startFakeInstance({
      clients: { [ENV.ERP_CLIENT_ID]: ENV.ERP_CLIENT_SECRET },
      apiKeys: [],
    })
    running = await startAgent(agentYaml({ instanceUrl: instance.url, exportAuth: 'oauth' }))
  })
  after(async () => {
    await running.close()
    await instance.close()
  })
  const url = (path: string) => `${running.url}/invoice-export${path}`
  const headers = bearer(ENV.EXPORT_LOCAL_SECRET)

  it('invalidates the token and replays a small request once with a new one', async () => {
    const first = await call(url('/api/invoices'), { headers })
    const oldToken = instance.apiCalls.at(-1)?.auth.replace('bearer:', '') ?? ''
    assert.equal(first.status, 200)
    instance.revoked.add(oldToken)
    const before = instance.apiCalls.length
    const body = JSON.stringify({ 'invoice-number': 'INV-1', total: '567.07' })
    const answer = await call(url('/api/invoices'), {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    })
    assert.equal(answer.status, 200, answer.text)
    const [refused, replayed] = instance.apiCalls.slice(before)
    assert.equal(instance.apiCalls.length, before + 2)
    assert.equal(refused?.auth, `bearer:${oldToken}`)
    assert.match(replayed?.auth ?? '', /^bearer:tok-\d+$/)
    assert.notEqual(replayed?.auth, refused?.auth)
    assert.equal(replayed?.bodySha256, sha256(Buffer.from(body)), 'the same body is sent again')
    const metrics = await call(`${running.url}/metrics`)
    assert.match(metrics.text, /^keyshift_agent_replays_total\{integration="invoice-export"\} 1$/m)
  })

  it('replays only once: a second 401 goes back to the integration as the instance sent it', async () => {
    let seen = 0
    instance.intercept = (req, res) => {
      if (req.url !== '/api/always-401') return false
      seen += 1
      req.resume()
      res.writeHead(401, {
        'www-authenticate': 'Bearer error="invalid_token"',
        'content-type': 'application/json',
      })
      res.end('{"errors":["unauthorized"]}')
      return true
    }
    const answer = await call(url('/api/always-401'), { headers })
    instance.intercept = undefined
    assert.equal(answer.status, 401)
    assert.equal(answer.text, '{"errors":["unauthorized"]}')
    assert.equal(answer.headers.get('x-keyshift-agent-error'), null, 'the instance’s answer, not the agent’s')
    assert.equal(seen, 2)
  })

  it('does not replay a body larger than 1 MiB, but still drops the refused token', async () => {
    let seen = 0
    instance.intercept = (req, res) => {
      if (req.url !== '/api/big-401') return false
      seen += 1
      req.resume()
      req.on('end', () => res.writeHead(401, { 'content-type': 'application/json' }).end('{}'))
      return true
    }
    const tokensBefore = instance.tokenRequests.length
    const answer = await call(url('/api/big-401'), { method: 'PUT', headers, body: randomBytes(2 * MiB) })
    instance.intercept = undefined
    assert.equal(answer.status, 401)
    assert.equal(seen, 1)
    await call(url('/api/invoices'), { headers })
    assert.equal(instance.tokenRequests.length, tokensBefore + 1, 'the next request got a new token')
  })
})

describe('keyshift agent: streaming', () => {
  let instance: FakeInstance
  let running: RunningAgent
  before(async () => {
    instance = await startFakeInstance({ clients: {}, apiKeys: [ENV.EXPORT_API_KEY] })
    running = await startAgent(agentYaml({ instanceUrl: instance.url, exportAuth: 'api_key' }))
  })
  after(async () => {
    await running.close()
    await instance.close()
  })

  it('streams a large upload: the instance gets the first bytes before the integration has sent the rest', {
    timeout: 10_000,
  }, async () => {
    const firstBytes = deferred()
    instance.intercept = (req, res) => {
      if (req.url !== '/api/attachments') return false
      req.once('data', firstBytes.resolve)
      bodyOf(req).then((data) =>
        res.writeHead(201).end(JSON.stringify({ bytes: data.length, sha256: sha256(data) })),
      )
      return true
    }
    const parts = [randomBytes(1.5 * MiB), randomBytes(3.5 * MiB)]
    const answer = await new Promise<Buffer>((resolve, reject) => {
      const outgoing = request(`${running.url}/invoice-export/api/attachments`, {
        method: 'POST',
        headers: { ...bearer(ENV.EXPORT_LOCAL_SECRET), 'content-type': 'application/octet-stream' },
      })
      outgoing.on('response', (res) => bodyOf(res).then(resolve, reject))
      outgoing.on('error', reject)
      outgoing.write(parts[0])
      firstBytes.promise.then(() => outgoing.end(parts[1]))
    })
    instance.intercept = undefined
    const all = Buffer.concat(parts)
    assert.deepEqual(JSON.parse(answer.toString()), { bytes: all.length, sha256: sha256(all) })
  })

  it('streams a large answer: the integration gets the first bytes before the instance has sent the rest', {
    timeout: 10_000,
  }, async () => {
    const clientGotBytes = deferred()
    const parts = [randomBytes(2 * MiB), randomBytes(2 * MiB)]
    instance.intercept = (req, res) => {
      if (req.url !== '/api/export') return false
      req.resume()
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      res.write(parts[0])
      clientGotBytes.promise.then(() => res.end(parts[1]))
      return true
    }
    const received = await new Promise<Buffer>((resolve, reject) => {
      const outgoing = request(`${running.url}/invoice-export/api/export`, {
        headers: bearer(ENV.EXPORT_LOCAL_SECRET),
      })
      outgoing.on('response', (res) => {
        res.once('data', clientGotBytes.resolve)
        bodyOf(res).then(resolve, reject)
      })
      outgoing.on('error', reject)
      outgoing.end()
    })
    instance.intercept = undefined
    assert.equal(sha256(received), sha256(Buffer.concat(parts)))
  })

  it('cuts the answer short to the integration when the instance breaks off in the middle of it', {
    timeout: 10_000,
  }, async () => {
    instance.intercept = (req, res) => {
      if (req.url !== '/api/broken') return false
      req.resume()
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(MiB) })
      res.write(randomBytes(1024), () => setTimeout(() => res.destroy(), 50))
      return true
    }
    const outcome = await new Promise<string>((resolve) => {
      const outgoing = request(`${running.url}/invoice-export/api/broken`, {
        headers: bearer(ENV.EXPORT_LOCAL_SECRET),
      })
      outgoing.on('response', (res) => {
        bodyOf(res).then(
          (body) => resolve(`ended with ${body.length} bytes`),
          () => resolve('cut short'),
        )
      })
      outgoing.on('error', () => resolve('cut short'))
      outgoing.end()
    })
    instance.intercept = undefined
    assert.equal(outcome, 'cut short')
    // The agent still serves the next request.
    assert.equal(
      (await call(`${running.url}/invoice-export/api/invoices`, { headers: bearer(ENV.EXPORT_LOCAL_SECRET) }))
        .status,
      200,
    )
  })

  it('stops reading the answer when the integration goes away in the middle of it', {
    timeout: 10_000,
  }, async () => {
    const upstreamClosed = deferred()
    instance.intercept = (req, res) => {
      if (req.url !== '/api/endless') return false
      req.resume()
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      const timer = setInterval(() => res.write(randomBytes(64 * 1024)), 5)
      res.on('close', () => {
        clearInterval(timer)
        upstreamClosed.resolve()
      })
      return true
    }
    const outgoing = request(`${running.url}/invoice-export/api/endless`, {
      headers: bearer(ENV.EXPORT_LOCAL_SECRET),
    })
    outgoing.on('error', () => {})
    outgoing.on('response', (res) => res.once('data', () => outgoing.destroy()))
    outgoing.end()
    await upstreamClosed.promise
    instance.intercept = undefined
  })
})
