/**
 * Markdown links and images as a card shows them. A card links only http(s) (and tel: on mobile),
 * and shows images only by an uploaded `image_key`: an image from a URL becomes a link to it, one
 * from anywhere else its alt text, and a link with another scheme or none its label and URL as text.
 */
export function convertLinks(text: string): string {
  return text.replace(LINK, (all: string, bang: string, label: string, url: string) =>
    bang === '!' ? image(all, label, url) : link(all, label, url),
  );
}

/** `[label](url "title")` and `![alt](url)`; one level of brackets in the label, of parentheses in the URL. */
const LINK =
  /(!?)\[((?:[^[\]\n]|\[[^[\]\n]*\])*)\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))*)>?(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)/g;

const WEB = /^https?:\/\/\S/i;
const LINKABLE = /^(?:https?:\/\/\S|tel:)/i;
/** An image uploaded to Lark (im.v1.image.create), which a card shows. */
const IMAGE_KEY = /^img_[A-Za-z0-9_-]+$/;

function image(all: string, alt: string, url: string): string {
  if (IMAGE_KEY.test(url)) return all;
  if (WEB.test(url)) return `[${alt.trim() || url}](${url})`;
  return alt.trim();
}

function link(all: string, label: string, url: string): string {
  if (LINKABLE.test(url)) return all;
  const text = label.trim();
  if (url === '') return text;
  return text === '' || text === url ? url : `${text} (${url})`;
}
