/** @module Test-only Worker: the real transformer with the real RunCoordinator hosted beside it (normally in spotify-lake-worker). */
import transformer from '../../src/index.ts'

export { RunCoordinator } from '@spotify-lake/run-coordinator'

export default transformer
