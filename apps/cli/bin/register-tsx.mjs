// @module Preloaded by ./lake (`node --import`): tsx's loader, resolved from the CLI's own dependencies,
// so the CLI's TypeScript runs in the very process the shell started (no launcher process in between).
import 'tsx'
