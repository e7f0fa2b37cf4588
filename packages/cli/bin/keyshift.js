#!/usr/bin/env node
// The `keyshift` command: registers tsx so Node runs the TypeScript sources, then runs src/main.ts.
// No process.exit(): `keyshift serve` keeps running after main() resolves, and a non-zero
// process.exitCode the server set itself (bad configuration) must survive.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/main.ts')
const exitCode = await main(process.argv.slice(2), process.env)
if (exitCode !== 0) process.exitCode = exitCode
