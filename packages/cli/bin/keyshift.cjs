#!/usr/bin/env node
// The `keyshift` command: sizes libuv's thread pool, keeps one queued tick object, then runs the compiled CLI (dist/main.js,
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

// One of the objects process.nextTick queues (several per request: Node's streams queue them) is
// kept alive for the life of the process. V8 builds each such object from a map it caches weakly;
// when no queued object is alive at a full garbage collection (between two bursts of requests, on
// a heap large enough to need one), the map is collected and the next object gets a new one. The
// `nextTick` code inlined into Node's streams has then seen two maps, and from then on builds each
// object in V8's runtime (Runtime_DefineKeyedOwnPropertyInLiteral) instead of inline: 13-15 % of a
// bearer GET's CPU in `perf record` in 5 of 6 fresh servers, against 1.6-1.9 % in 4 of 4 with
// one kept (2026-12-03). A Fastify app sending the same bytes shows the same: 8 % with a full
// collection every 500 ms, 0 % with one kept. The kept object is the callback's own async
// resource, which Node passes to `executionAsyncResource()`; the module object holding it stays in
// require.cache.
process.nextTick(function keepOneTickObject() {
  module.exports.keptTickObject = require('node:async_hooks').executionAsyncResource()
})

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
