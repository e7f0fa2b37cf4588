// Ceiling: a bare node:http server that does nothing but sign one RFC 9068-shaped ES256 JWT per
// request with node:crypto, on libuv's thread pool sized as `keyshift serve` sizes it (the launcher
// sets UV_THREADPOOL_SIZE), and answer it (es256-token.ts). No form parsing, no client
// authentication, no framework: what any token endpoint that signs each token with node:crypto can
// reach on this machine.
// Run as its own process: PORT=<port> UV_THREADPOOL_SIZE=<n> node --import tsx bench/targets/bare-es256.ts
import { createServer } from 'node:http'
import { tokenSigner } from './es256-token.ts'

const port = Number(process.env.PORT)
const signToken = tokenSigner(`http://127.0.0.1:${port}`)

createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      return
    }
    signToken((error, body) => {
      if (error) {
        res.writeHead(500).end()
        return
      }
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body)
    })
  })
}).listen(port, '127.0.0.1')
