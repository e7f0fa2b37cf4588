/**
 * What the admin API answers: the wire types of packages/server/src/contract/wire.ts, the one
 * definition that the server's views and the CLI use too. Types only: esbuild erases this import,
 * so nothing of the server is bundled.
 */
export type * from '../../server/src/contract/wire.ts'
