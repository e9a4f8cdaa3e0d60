import { MemoryLimiterStore } from '../../../src/bot/limits/memory-store.js';
import { limiterConformance } from './store-conformance.js';

limiterConformance('memory', () => new MemoryLimiterStore());
