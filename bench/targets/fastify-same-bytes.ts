// Reference: the framework alone. A Fastify app with one route answering, to any GET, the very
// response Keyshift answered (as bare-same-bytes.ts does with node:http alone): what Fastify's
// routing and reply cost on this machine for exactly those bytes, with no work of Keyshift's.
// Run as its own process: PORT=<port> RESPONSE=<file.json> node --import tsx bench/targets/fastify-same-bytes.ts
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'

interface RecordedResponse {
  status: number
  headers: [string, string][]
  body: string
}

const port = Number(process.env.PORT)
const recorded = JSON.parse(readFileSync(String(process.env.RESPONSE), 'utf8')) as RecordedResponse
const body = Buffer.from(recorded.body, 'base64')
const headers = Object.fromEntries(recorded.headers)

const app = Fastify({ logger: false })
app.get('/*', async (_request, reply) => reply.code(recorded.status).headers(headers).send(body))
await app.listen({ port, host: '127.0.0.1' })
