import { storeBackends } from '../../test/stores.ts'
import { storeSuite } from './store.suite.ts'

for (const backend of storeBackends) storeSuite(backend)
