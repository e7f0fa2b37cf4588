// Reference: a bare node:http server answering, to any request, the very response Keyshift answered
// to the target's request (its status, its headers but the per-connection ones, its body bytes from
// memory). The physical limit of sending exactly that response on this machine with node:http.
// Run as its own process: PORT=<port> RESPONSE=<file.json> node --import tsx bench/targets/bare-same-bytes.ts
// where the file holds { status, headers: [[name, value], …], body: <base64> }.
import { createServer } from 'node:http'
import { loadRecordedResponse } from '../helpers.ts'

const port = Number(process.env.PORT)
const recorded = loadRecordedResponse(String(process.env.RESPONSE))
const body = recorded.body
const headers = [...recorded.headers, ['content-length', String(body.length)]]

createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    res.writeHead(recorded.status, headers.flat()).end(body)
  })
}).listen(port, '127.0.0.1')
