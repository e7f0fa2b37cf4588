#!/usr/bin/env node
// The `keyshift` command: sizes libuv's thread pool, then runs the compiled CLI (dist/main.js,
// built by `npm run build`; no TypeScript loader at run time). No process.exit(): `keyshift serve` keeps running after main()
// resolves, and a non-zero process.exitCode the server set itself (bad configuration) must survive.
'use strict'
const { availableParallelism } = require('node:os')

// Every token is an ES256 signature made on libuv's thread pool. libuv reads UV_THREADPOOL_SIZE
// once, when the pool first runs a job, and Node's ES module loader runs jobs on it before the
// first line of an ES module: that is why this file is CommonJS and why this comes first. libuv's
// default, 4 threads, on a 2-core machine makes five busy threads for two cores and the event loop
// keeps losing its core to the signers (the token endpoint made 0.28 of a bare server with 4 and
// 0.43 with 1 in one `npm run bench`). So the pool leaves one core to the event loop. A value the
// user set wins.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(1, availableParallelism() - 1))

// V8's allocation-site pretenuring, on a server, decides after a while that the objects Node's
// process.nextTick queues (several per request) live long, since the server's other allocations make
// scavenges frequent enough to catch them queued. Its code then builds each of them in V8's runtime
// (Runtime_DefineKeyedOwnPropertyInLiteral, map migrations) instead of inline: 9-10 % of a bearer
// GET's CPU in `perf record` against 0.4 % without pretenuring, and the GET went from 0.64 to 0.73
// of a bare server answering the same bytes (`npm run bench`, 2026-12-03). The flag only has to be
// set before that decision, so setting it here, first, works; `node --allocation-site-pretenuring
// packages/cli/bin/keyshift.cjs` does not turn it back on, since this line comes after.
require('node:v8').setFlagsFromString('--no-allocation-site-pretenuring')

async function run() {
  let cli
  try {
    cli = await import('../dist/main.js')
  } catch (error) {
    if (error.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/main.js')) throw error
    const code = 'KS_NOT_BUILT' // ERRORS.md
    process.stderr.write(
      `keyshift: ${code}: dist/main.js is missing; run npm run build (npm start and npm test do)\n`,
    )
    process.exitCode = 1
    return
  }
  const exitCode = await cli.main(process.argv.slice(2), process.env)
  if (exitCode !== 0) process.exitCode = exitCode
}

run()
