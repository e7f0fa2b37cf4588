import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const inPackage = fileURLToPath(new URL('./setup-pages/', import.meta.url))
const inRepository = fileURLToPath(new URL('../../../web/dist/', import.meta.url))

/**
 * Where the built Setup pages are: beside the bundle of the installed `keyshift` package
 * (dist/setup-pages, where its build copies them), or where `npm run build -w @keyshift/web` writes
 * them in this repository. When neither has them, the repository's folder: the pages then answer
 * 503 with the command that builds them.
 */
export const setupPagesDir = existsSync(inPackage) ? inPackage : inRepository
