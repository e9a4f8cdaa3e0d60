/** Escapes the three characters Slack treats as control characters in message text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Makes a URL safe inside a Slack `<url|text>` link: `&` as an entity, `<`, `>` and `|` percent-encoded. */
export function escapeLinkUrl(url: string): string {
  return url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
}
