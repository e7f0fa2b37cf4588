/** From a path in a YAML document (`keys[0].scopes`) to the line that holds it, with yaml's node API. */
import { type Document, isMap, isScalar, isSeq, type LineCounter } from 'yaml'
import type { PlanPath } from './plan-schema.ts'

function keyName(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key)
}

function start(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range
  return range?.[0]
}

/**
 * The 1-based line of `path` in `document`: of the field's key in a mapping, of the item in a list.
 * Where the path does not exist (a field that is missing), the line of the deepest part that does.
 */
export function lineOf(document: Document, lines: LineCounter, path: PlanPath): number {
  let node: unknown = document.contents
  let offset = start(node) ?? 0
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => keyName(item.key) === String(part))
      if (pair === undefined) break
      offset = start(pair.key) ?? offset
      node = pair.value
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part]
      if (item === undefined) break
      offset = start(item) ?? offset
      node = item
    } else break
  }
  return lines.linePos(offset).line
}

/** `keys[0].client.login`; `(top level)` for the empty path. */
export function pathText(path: PlanPath): string {
  if (path.length === 0) return '(top level)'
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('')
}
