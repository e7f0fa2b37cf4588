#!/usr/bin/env node
// Runs every *.test.ts file with Node's own test runner (node:test) through tsx, on the sources:
// the `keyshift-source` condition makes `@keyshift/client` resolve to its TypeScript (the published
// package resolves to dist/), for the tests and every process they start with NODE_OPTIONS.
// Node 20's `--test` takes no globs, so this script finds the files.
// Usage: npm test [-- <path or substring> ...]
//
// A test that hangs fails after TEST_TIMEOUT_MS instead of holding CI. Files with a failing test
// are run once more, alone, and the run fails only if they fail again; the retried files are named
// at the end, so that a flaky test is seen, not hidden.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

const roots = ['packages', 'e2e', 'bench']
const skip = new Set(['node_modules', 'dist', 'keyshift-data', 'artifacts'])
const TEST_TIMEOUT_MS = 180_000

function findTests(dir, found = []) {
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) findTests(path, found)
    else if (name.endsWith('.test.ts')) found.push(relative('.', path))
  }
  return found
}

const env = {
  ...process.env,
  NODE_OPTIONS: [process.env.NODE_OPTIONS, '--conditions=keyshift-source'].filter(Boolean).join(' '),
}

/** Runs node --test on `files`; prints its output; returns the exit status and the failing files. */
function run(files) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-timeout=${TEST_TIMEOUT_MS}`, ...files],
    { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'], env },
  )
  process.stdout.write(result.stdout ?? '')
  const failing = new Set()
  // Failures carry their location: `location: '/abs/path/file.test.ts:12:3'`.
  for (const match of (result.stdout ?? '').matchAll(/location: '([^']+\.test\.ts):\d+:\d+'/g)) {
    const file = relative('.', resolve(match[1]))
    if (files.includes(file)) failing.add(file)
  }
  return { status: result.status ?? 1, failing: [...failing] }
}

const filters = process.argv.slice(2)
const files = roots
  .filter((root) => existsSync(root))
  .flatMap((root) => findTests(root))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort()
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`)
  process.exit(1)
}
const first = run(files)
if (first.status === 0) process.exit(0)
if (first.failing.length === 0) process.exit(first.status)
console.log(`\n# retrying once, alone, the files that failed: ${first.failing.join(', ')}`)
const second = run(first.failing)
console.log(
  second.status === 0
    ? `# FLAKY: ${first.failing.join(', ')} failed on the first run and passed on the second`
    : `# still failing: ${second.failing.join(', ') || first.failing.join(', ')}`,
)
process.exit(second.status)
