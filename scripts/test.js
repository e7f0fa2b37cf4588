#!/usr/bin/env node
// Runs every *.test.ts file with Node's own test runner (node:test) through tsx.
// Node 20's `--test` takes no globs, so this script finds the files.
// Usage: npm test [-- <path or substring> ...]
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const roots = ['packages', 'e2e', 'bench']
const skip = new Set(['node_modules', 'dist', 'keyshift-data', 'artifacts'])

function findTests(dir, found = []) {
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) findTests(path, found)
    else if (name.endsWith('.test.ts')) found.push(relative('.', path))
  }
  return found
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
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...files], { stdio: 'inherit' })
process.exit(result.status ?? 1)
