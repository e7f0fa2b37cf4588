// Reference: the framework alone. A Fastify app with one route answering, to any GET, the very
// response Keyshift answered (as bare-same-bytes.ts does with node:http alone): what Fastify's
// routing and reply cost on this machine for exactly those bytes, with no work of Keyshift's.
// Run as its own process: PORT=<port> RESPONSE=<file.json> node --import tsx bench/targets/fastify-same-bytes.ts
import Fastify from 'fastify'
import { loadRecordedResponse } from '../helpers.ts'

const port = Number(process.env.PORT)
const recorded = loadRecordedResponse(String(process.env.RESPONSE))
const body = recorded.body
const headers = Object.fromEntries(recorded.headers)

const app = Fastify({ logger: false })
app.get('/*', async (_request, reply) => reply.code(recorded.status).headers(headers).send(body))
await app.listen({ port, host: '127.0.0.1' })
