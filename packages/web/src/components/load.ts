import { useCallback, useEffect, useState } from 'preact/hooks'
import { messageOf } from '../api.ts'

/** Loads what a page shows; `reload()` after a change. */
export function useLoad<T>(load: () => Promise<T>): {
  data: T | undefined
  error: string | null
  reload: () => void
} {
  const [data, setData] = useState<T | undefined>(undefined)
  const [error, setError] = useState<string | null>(null)
  const [generation, setGeneration] = useState(0)
  useEffect(() => {
    let current = true
    load().then(
      (value) => {
        if (!current) return
        setData(value)
        setError(null)
      },
      (failure) => current && setError(messageOf(failure)),
    )
    return () => {
      current = false
    }
  }, [generation])
  const reload = useCallback(() => setGeneration((g) => g + 1), [])
  return { data, error, reload }
}
