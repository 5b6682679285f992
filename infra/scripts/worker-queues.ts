/** @module Prints the Workers' queue names, one a line: the deploy workflow creates any that are missing. */
import { workerQueues } from '../src/worker-queues.ts'

for (const queue of workerQueues()) console.log(queue)
