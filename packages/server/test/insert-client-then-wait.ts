// Child process of the store durability test:
//   node --import tsx insert-client-then-wait.ts '<OpenStoreOptions JSON>' '<OAuthClientRecord JSON>'
// Inserts the client, prints "ok" once insertClient() has resolved, then waits to be killed.
import { openStore } from '../src/store/open.ts'

const [options, client] = process.argv.slice(2)
if (!options || !client) throw new Error('usage: insert-client-then-wait.ts <options JSON> <client JSON>')
const store = await openStore(JSON.parse(options))
await store.insertClient(JSON.parse(client))
process.stdout.write('ok\n')
setInterval(() => {}, 60_000)
