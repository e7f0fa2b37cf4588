// Ceiling: a bare node:http server that does nothing but sign one RFC 9068-shaped ES256 JWT per
// request with node:crypto, on libuv's thread pool sized as `keyshift serve` sizes it (the launcher
// sets UV_THREADPOOL_SIZE), and answer it. No form parsing, no client authentication, no framework:
// what any token endpoint that signs each token with node:crypto can reach on this machine.
// Run as its own process: PORT=<port> UV_THREADPOOL_SIZE=<n> node --import tsx bench/targets/bare-es256.ts
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import { createServer } from 'node:http'

const port = Number(process.env.PORT)
const issuer = `http://127.0.0.1:${port}`
const clientId = randomBytes(16).toString('hex')
const scope = 'core.invoice.read core.common.read'
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
// The header of Keyshift's tokens: a kid of the same length (a JWK thumbprint).
const header = base64url({ alg: 'ES256', typ: 'at+jwt', kid: randomBytes(32).toString('base64url') })

createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      return
    }
    const iat = Math.floor(Date.now() / 1000)
    const jti = randomBytes(16).toString('base64url')
    const claims = {
      iss: issuer,
      sub: clientId,
      client_id: clientId,
      aud: `${issuer}/api`,
      scope,
      iat,
      exp: iat + 86_399,
      jti,
    }
    const input = `${header}.${base64url(claims)}`
    sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }, (error, signature) => {
      if (error) {
        res.writeHead(500).end()
        return
      }
      const token = `${input}.${signature.toString('base64url')}`
      const body = JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: 86_399, scope })
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body)
    })
  })
}).listen(port, '127.0.0.1')
