/** @module The registry of `lake` commands: add one module per command under src/commands and list it here. */
import type { Command } from '../command.ts'
import { schemaCommand } from './schema.ts'

export const commands: readonly Command[] = [schemaCommand]
