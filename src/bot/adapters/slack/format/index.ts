export { escapeMrkdwn } from './escape.js';
export { SLACK_SECTION_TEXT_LIMIT, SLACK_TEXT_LIMIT } from './limits.js';
export { toMrkdwn } from './mrkdwn.js';
export { splitMessage } from './split.js';
