export {
  type ActionElement,
  type AnswerOrigin,
  type CardActionValue,
  feedbackButtons,
  STOP_ELEMENT_ID,
  stopButton,
} from './actions.js';
export {
  defuseAtTags,
  type FinalCardSettings,
  finalCardSettings,
  finishedCard,
  interactiveCard,
  type LarkCard,
  STREAMING_CONFIG,
  type StreamingCardOptions,
  streamingCard,
  textMessageContent,
} from './cards.js';
export { CHINESE_ALIASES, menuCommand, parseLarkCommand } from './commands.js';
export {
  cardTextBytes,
  fitsOneCard,
  LARK_CARD_BYTE_LIMIT,
  LARK_CARD_TEXT_BYTES,
  LARK_CARD_TEXT_LIMIT,
} from './limits.js';
export { larkMarkdown } from './markdown.js';
export { type LarkMention, type StrippedMentions, stripMentions } from './mentions.js';
export { type PostResource, postResources } from './post-resources.js';
export { postToText } from './post-text.js';
export { splitCardText } from './split.js';
export { cardSummary } from './summary.js';
export { textContent } from './text.js';
