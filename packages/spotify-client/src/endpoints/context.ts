/** @module What every endpoint module needs: the validated call, the resolved mode, batch memory. */
import type { CatalogKind } from '@spotify-lake/schemas'
import type { Api } from '../api.ts'
import type { ApiMode } from '../types.ts'

export interface EndpointContext {
  api: Api
  /** The app's mode; in `auto` the first caller runs the one detection. */
  mode: () => Promise<ApiMode>
  /** Batch endpoints that answered as removed: later calls of that kind go straight to single GETs. */
  removedBatches: Set<CatalogKind>
}
