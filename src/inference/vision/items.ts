/**
 * The pictures of a conversation as the prompt shows them: each image on its own, each video as
 * its keyframes (ImageInput's videoId groups them, videoTimeMs orders them), in message order.
 */
import type { ChatMessage, ImageInput } from '../types.js';

export type VisualItem = { kind: 'image'; image: ImageInput } | { kind: 'video'; frames: ImageInput[] };

/** One message's items: images as they come, a video where its first frame comes. */
export function messageItems(message: ChatMessage): VisualItem[] {
  const items: VisualItem[] = [];
  const videos = new Map<string, ImageInput[]>();
  for (const image of message.images ?? []) {
    if (image.videoId === undefined) {
      items.push({ kind: 'image', image });
      continue;
    }
    let frames = videos.get(image.videoId);
    if (frames === undefined) {
      frames = [];
      videos.set(image.videoId, frames);
      items.push({ kind: 'video', frames });
    }
    frames.push(image);
  }
  for (const frames of videos.values()) frames.sort((a, b) => (a.videoTimeMs ?? 0) - (b.videoTimeMs ?? 0));
  return items;
}

/**
 * The message's content as a Qwen-VL chat template takes it: an image or video part per item,
 * then the text (transformers' content-part shape: `{type: 'image'}`, `{type: 'text', text}`).
 */
export function contentParts(message: ChatMessage): string | Record<string, unknown>[] {
  if (message.images === undefined || message.images.length === 0) return message.content;
  return [
    ...messageItems(message).map((item) => ({ type: item.kind })),
    { type: 'text', text: message.content },
  ];
}

/**
 * Which keyframes of a video go in, and how many pixels each may have, within `tokenBudget` visual
 * tokens for the whole video: every frame at up to `maxPixels` when that fits, else fewer pixels per
 * frame, and when even `minTokens` per frame does not fit, frames evenly spread over the video.
 */
export function frameBudget(
  frames: number,
  tokenBudget: number,
  pixelsPerToken: number,
  maxPixels: number,
  minTokens: number,
): { keep: number[]; maxPixels: number } {
  const floor = Math.max(1, minTokens);
  const count = Math.max(1, Math.min(frames, Math.floor(tokenBudget / floor)));
  const keep =
    count >= frames
      ? Array.from({ length: frames }, (_, i) => i)
      : Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * frames) / count));
  const perFrame = Math.max(1, Math.floor(tokenBudget / keep.length));
  return { keep, maxPixels: Math.min(maxPixels, perFrame * pixelsPerToken) };
}
