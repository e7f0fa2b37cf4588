// Baseline: a bare node:http server that reads the POST body and answers a small JSON body.
// Run as its own process: PORT=<port> node --import tsx bench/targets/bare.ts
import { createServer } from 'node:http'

const port = Number(process.env.PORT)
const body = JSON.stringify({ access_token: 'x'.repeat(32), token_type: 'bearer', expires_in: 86399 })

createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      return
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body)
  })
}).listen(port, '127.0.0.1')
