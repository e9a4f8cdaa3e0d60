import { ChunkChannel } from '../chunk-channel.js';
import type { DecodeOutcome } from './decode-types.js';
import type { RowSink } from './row.js';

export type RowOutcome = DecodeOutcome & { queuedMs: number };

/** Carries one row's chunks from the scheduler's loop to the generation that reads them. */
export class RowChannel extends ChunkChannel<RowOutcome> implements RowSink {}
