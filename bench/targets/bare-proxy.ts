// Ceiling of the agent proxy: a bare node:http reverse proxy in front of the instance, with what
// the agent must do at the least: strip the integration's path prefix, put the instance token in
// Authorization, send on a pooled keep-alive connection and stream both ways. No configuration, no
// local authentication, no usage counting, no error translation: what any proxy built on node:http
// adds on this machine. Run as its own process:
// PORT=<port> UPSTREAM=<instance URL> AUTHORIZATION='Bearer …' PREFIX=/bench node --import tsx bench/targets/bare-proxy.ts
import { Agent, createServer, request } from 'node:http'

const port = Number(process.env.PORT)
const upstream = new URL(String(process.env.UPSTREAM))
const authorization = String(process.env.AUTHORIZATION)
const prefix = String(process.env.PREFIX)
const agent = new Agent({ keepAlive: true })

createServer((req, res) => {
  const url = req.url ?? '/'
  if (!url.startsWith(`${prefix}/`)) {
    res.writeHead(url === '/' ? 200 : 404).end()
    return
  }
  const headers = { ...req.headers, host: upstream.host, authorization }
  const out = request(
    {
      hostname: upstream.hostname,
      port: upstream.port,
      path: url.slice(prefix.length),
      method: req.method,
      headers,
      agent,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders)
      answer.pipe(res)
    },
  )
  out.on('error', () => res.writeHead(502).end())
  req.pipe(out)
}).listen(port, '127.0.0.1')
