/**
 * The most characters teambot puts in one Slack message's `text` (chat.postMessage / chat.update).
 *
 * Slack accepts up to 40,000 characters in `text` and truncates anything longer, but its docs ask
 * apps to keep `text` under 4,000 characters for messages to render well, and a `section` block's
 * mrkdwn text is capped at 3,000. 3,900 stays under the 4,000 guidance with room for the
 * "(continued)" markers or fences a caller may add; an adapter that puts a part into a `section`
 * block must split with a limit of at most 3,000 instead.
 */
export const SLACK_TEXT_LIMIT = 3_900;

/** A `section` block's text object holds at most 3,000 characters. */
export const SLACK_SECTION_TEXT_LIMIT = 3_000;
