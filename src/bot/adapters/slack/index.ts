export { createSlackAdapter } from './adapter.js';
export { SlackApiError } from './api-errors.js';
export type { SlackAdapter, SlackAdapterOptions, SuggestedPrompt } from './options.js';
export { DEFAULT_SUGGESTED_PROMPTS } from './options.js';
