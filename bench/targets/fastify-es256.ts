// Reference: the framework alone around the ceiling. A Fastify app whose one POST route reads the
// form body (Fastify's content-type parser, URLSearchParams) and answers a token signed as
// bare-es256.ts signs it (es256-token.ts), with the headers of an RFC 6749 token response. What
// Fastify adds to bare-es256 on this machine, with no work of Keyshift's (no client
// authentication, no scope check).
// Run as its own process: PORT=<port> UV_THREADPOOL_SIZE=<n> node --import tsx bench/targets/fastify-es256.ts
import Fastify from 'fastify'
import { tokenSigner } from './es256-token.ts'

const port = Number(process.env.PORT)
const signToken = tokenSigner(`http://127.0.0.1:${port}`)
const sign = () =>
  new Promise<string>((resolve, reject) =>
    signToken((error, body) => (error ? reject(error) : resolve(body as string))),
  )

const app = Fastify({ logger: false })
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
  done(null, Object.fromEntries(new URLSearchParams(String(body)))),
)
app.get('/', async () => ({}))
app.post('/token', async (request, reply) => {
  const { grant_type } = request.body as Record<string, string | undefined>
  if (grant_type !== 'client_credentials') return reply.code(400).send({ error: 'unsupported_grant_type' })
  const body = await sign()
  return reply
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .header('content-type', 'application/json; charset=utf-8')
    .send(body)
})
await app.listen({ port, host: '127.0.0.1' })
