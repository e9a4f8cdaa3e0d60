import { RedisLimiterStore } from '../../../src/bot/limits/redis-store.js';
import { redisUrlForTests, usePrefixes } from '../../helpers/redis.js';
import { limiterConformance } from './store-conformance.js';

const prefix = usePrefixes();

limiterConformance('redis', () => new RedisLimiterStore({ url: redisUrlForTests(), prefix: prefix() }));
