import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

const bin = fileURLToPath(new URL('../bin/keyshift.cjs', import.meta.url))

function keyshift(args: string[]) {
  // A plain node process, as npm's bin link runs it: no TypeScript loader, the compiled dist/main.js.
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH } })
}

describe('bin/keyshift.cjs', () => {
  it('runs the compiled dist/main.js and exits 0 on --help', () => {
    const result = keyshift(['--help'])
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stdout, /^Usage: keyshift <command>/)
  })

  it('exits 2 on a usage error', () => {
    const result = keyshift(['token'])
    assert.equal(result.status, 2)
    assert.equal(result.stderr, "keyshift: KS_USAGE: missing --url; run 'keyshift token --help'\n")
  })

  it('keeps one of the objects process.nextTick queues alive, so V8 keeps their map (bin/keyshift.cjs)', () => {
    // The bin loaded in a process that looks, as it exits, at what the bin kept.
    const script = `
      process.argv.splice(1, Infinity, ${JSON.stringify(bin)}, '--help')
      require(${JSON.stringify(bin)})
      process.on('exit', () => {
        const kept = require.cache[${JSON.stringify(bin)}].exports.keptTickObject
        const symbols = Object.getOwnPropertySymbols(kept ?? {}).map(String)
        require('node:fs').writeSync(2, JSON.stringify({ callback: typeof kept?.callback, symbols }))
      })`
    const result = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    })
    assert.equal(result.status, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stderr), {
      callback: 'function',
      symbols: ['Symbol(async_id_symbol)', 'Symbol(trigger_async_id_symbol)'],
    })
  })
})
