// Probe: the cost of `getToken()` on a cached token (@keyshift/client), repeated, in a process of
// its own so that nothing else runs on its event loop. Prints {"runs":[ns/op, …]} as one line.
// Run: ITERATIONS=1000000 REPETITIONS=5 node --import tsx bench/probes/get-token.ts
import { benchGetToken } from '../../packages/client/bench/get-token.ts'

const iterations = Number(process.env.ITERATIONS ?? 1e6)
const repetitions = Number(process.env.REPETITIONS ?? 5)

const runs: number[] = []
for (let i = 0; i < repetitions; i++) runs.push(await benchGetToken({ iterations }))
console.log(JSON.stringify({ runs }))
