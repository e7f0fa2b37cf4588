/**
 * Notices changes of the configuration file: fs.watch on its folder (which survives editors and
 * tools that save by renaming a new file over the old one), debounced, plus a periodic check of
 * its mtime, size and inode for file systems where fs.watch stays silent (network mounts,
 * Kubernetes ConfigMap symlink swaps).
 */
import { type FSWatcher, watch } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import type { AgentLogger } from '../telemetry/logger.ts'

export interface WatchOptions {
  /** Quiet time after the last event before `onChange` runs; default 200 ms. */
  debounceMs?: number
  /** Interval of the mtime check; default 5000 ms; 0 for none. */
  pollMs?: number
  logger: AgentLogger
}

export interface ConfigWatcher {
  close(): void
}

async function fileVersion(path: string): Promise<string> {
  try {
    const info = await stat(path)
    return `${info.mtimeMs}:${info.size}:${info.ino}`
  } catch {
    return 'missing'
  }
}

/** Calls `onChange` (debounced) whenever the file at `path` may have changed. */
export function watchConfigFile(path: string, onChange: () => void, options: WatchOptions): ConfigWatcher {
  const debounceMs = options.debounceMs ?? 200
  const pollMs = options.pollMs ?? 5000
  const name = basename(path)
  let timer: NodeJS.Timeout | undefined
  let version: Promise<string> = fileVersion(path)
  let closed = false

  function changed(): void {
    if (closed) return
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(function settled() {
      timer = undefined
      version = fileVersion(path) // the version that this reload reads
      onChange()
    }, debounceMs)
    timer.unref()
  }

  let watcher: FSWatcher | undefined
  try {
    watcher = watch(dirname(path), { persistent: false }, function onEvent(_event, filename) {
      if (filename === null || filename === name || String(filename).startsWith('..')) changed()
    })
    watcher.on('error', (error) =>
      options.logger.warn({ error }, 'cannot watch the configuration; polling only'),
    )
  } catch (error) {
    options.logger.warn({ error }, 'cannot watch the configuration; polling only')
  }

  const poll =
    pollMs > 0
      ? setInterval(async function checkVersion() {
          const [before, now] = await Promise.all([version, fileVersion(path)])
          if (before !== now) {
            version = Promise.resolve(now)
            changed()
          }
        }, pollMs)
      : undefined
  poll?.unref()

  return {
    close() {
      closed = true
      watcher?.close()
      if (timer !== undefined) clearTimeout(timer)
      if (poll !== undefined) clearInterval(poll)
    },
  }
}
