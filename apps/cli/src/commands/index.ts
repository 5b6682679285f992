/** @module The registry of `lake` commands: add one module per command under src/commands and list it here. */
import type { Command } from '../command.ts'
import { authCommand } from './auth.ts'
import { dashboardCommand } from './dashboard.ts'
import { importCommand } from './import.ts'
import { queryCommand } from './query.ts'
import { replayCommand } from './replay.ts'
import { runCommand } from './run.ts'
import { runsCommand } from './runs.ts'
import { schemaCommand } from './schema.ts'
import { transformCommand } from './transform.ts'
import { upCommand } from './up.ts'

export const commands: readonly Command[] = [
  upCommand,
  runCommand,
  runsCommand,
  schemaCommand,
  transformCommand,
  replayCommand,
  queryCommand,
  dashboardCommand,
  authCommand,
  importCommand,
]
