import { useEffect, useState } from 'preact/hooks'

/** The Setup pages (DESIGN.md contracts). The server answers each of these paths with this app. */
export const PAGES = [
  { path: '/api_keys', title: 'API Keys' },
  { path: '/oauth2/clients', title: 'OAuth2/OpenID Connect Clients' },
  { path: '/oauth2/scopes', title: 'Scopes' },
  { path: '/setup/transition', title: 'Transition' },
  { path: '/setup/custom_fields', title: 'Custom Fields' },
] as const

export type PagePath = (typeof PAGES)[number]['path']

const listeners = new Set<(path: string) => void>()

export function navigate(path: string): void {
  if (path === location.pathname) return
  history.pushState(null, '', path)
  for (const listener of listeners) listener(path)
}

/** The current path; changes with links of this app and the browser's back and forward. */
export function usePath(): string {
  const [path, setPath] = useState(location.pathname)
  useEffect(() => {
    const onPop = () => setPath(location.pathname)
    listeners.add(setPath)
    addEventListener('popstate', onPop)
    return () => {
      listeners.delete(setPath)
      removeEventListener('popstate', onPop)
    }
  }, [])
  return path
}

/** A click on an in-app link changes the page without reloading it (ctrl/cmd-click still opens a tab). */
export function followLink(event: MouseEvent): void {
  const link = event.currentTarget as HTMLAnchorElement
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
  event.preventDefault()
  navigate(link.pathname)
}
