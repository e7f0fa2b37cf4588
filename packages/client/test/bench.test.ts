import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { benchGetToken } from '../bench/get-token.ts'

describe('bench/get-token.ts', () => {
  it('measures the cached getToken() path in ns/op', async () => {
    const nsPerOp = await benchGetToken({ iterations: 20_000, warmup: 2000 })
    assert.ok(Number.isFinite(nsPerOp) && nsPerOp > 0)
    // Generous: the goal is < 1 µs on a quiet machine; CI machines are noisy.
    assert.ok(nsPerOp < 20_000, `${nsPerOp} ns/op`)
  })
})
