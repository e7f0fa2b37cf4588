#!/usr/bin/env node
// The `keyshift` command as bin/keyshift.cjs ran it before the build existed: libuv's pool sized the
// same way, then tsx registered and the TypeScript sources transpiled as they load. The cold-start
// target (bench/targets/cold-start.ts) compares the compiled bin with this.
'use strict'
const { availableParallelism } = require('node:os')

process.env.UV_THREADPOOL_SIZE ??= String(Math.max(1, availableParallelism() - 1))

async function run() {
  const { register } = await import('tsx/esm/api')
  register()
  const { main } = await import('../../packages/cli/src/main.ts')
  const exitCode = await main(process.argv.slice(2), process.env)
  if (exitCode !== 0) process.exitCode = exitCode
}

run()
