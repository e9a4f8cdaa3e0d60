export { createLarkAdapter } from './adapter.js';
export { LarkApiError } from './api/errors.js';
export type { LarkAdapter, LarkAdapterOptions, MountedLarkRouter } from './options.js';
