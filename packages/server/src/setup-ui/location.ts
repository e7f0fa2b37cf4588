import { fileURLToPath } from 'node:url'

/** Where `npm run build -w @keyshift/web` writes the Setup pages, in this repository's layout. */
export const setupPagesDir = fileURLToPath(new URL('../../../web/dist/', import.meta.url))
