import { MemoryTurnQueue } from '../../src/storage/queue/memory.js';
import { describeTurnQueueConformance } from './turn-queue-conformance.js';

describeTurnQueueConformance(
  'MemoryTurnQueue',
  async (settings, hooks) => new MemoryTurnQueue(settings, hooks),
);
