/**
 * A conversation with pictures as the model reads it: the chat template renders a placeholder per
 * image (`<|vision_start|><|image_pad|><|vision_end|>`) and per video
 * (`<|vision_start|><|video_pad|><|vision_end|>`); each image pad becomes as many pads as the image
 * has visual tokens (what transformers' Qwen2-VL processor does), each video becomes its keyframes,
 * each `<t seconds>` then its own start, pads and end (Qwen3-VL's processor). Positions are the
 * prompt's M-RoPE rows (mrope.ts).
 */
import type { ChatMessage } from '../types.js';
import type { VisionConfig } from './config.js';
import { frameBudget, messageItems } from './items.js';
import { type Grid, type PromptPositions, promptPositions } from './mrope.js';
import { type PreparedImage, prepareImage } from './preprocess.js';

export type PreparedItem =
  | { kind: 'image'; image: PreparedImage }
  | { kind: 'video'; frames: { image: PreparedImage; timeMs: number }[] };

export interface VisionSettings {
  /** Visual tokens one video's keyframes may take in all (VISION_VIDEO_TOKENS). */
  videoTokens: number;
}

/** Each message's pictures, preprocessed (sharp) once, before the prompt is counted or trimmed. */
export async function prepareMessages(
  messages: readonly ChatMessage[],
  config: VisionConfig,
  settings: VisionSettings,
): Promise<Map<ChatMessage, PreparedItem[]>> {
  const { processing } = config;
  const factor = processing.patchSize * processing.mergeSize;
  const prepared = new Map<ChatMessage, PreparedItem[]>();
  for (const message of messages) {
    const items: PreparedItem[] = [];
    for (const item of messageItems(message)) {
      if (item.kind === 'image') {
        items.push({ kind: 'image', image: await prepareImage(item.image.data, processing) });
        continue;
      }
      const minTokens = Math.ceil(processing.minPixels / (factor * factor));
      const budget = frameBudget(
        item.frames.length,
        settings.videoTokens,
        factor * factor,
        processing.maxPixels,
        Math.min(minTokens, 4),
      );
      const frames = [];
      for (const index of budget.keep) {
        const frame = item.frames[index];
        if (frame === undefined) continue;
        const image = await prepareImage(frame.data, processing, budget.maxPixels);
        frames.push({ image, timeMs: frame.videoTimeMs ?? 0 });
      }
      items.push({ kind: 'video', frames });
    }
    if (items.length > 0) prepared.set(message, items);
  }
  return prepared;
}

/** Milliseconds as Python's `f"{s:.1f}"` writes the seconds (ties to even), as Qwen3-VL's processor does. */
export function seconds(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  const rest = whole % 100;
  let tenths = Math.floor(whole / 100);
  if (rest > 50 || (rest === 50 && tenths % 2 === 1)) tenths++;
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

export interface VisionPrompt {
  ids: number[];
  positions: PromptPositions;
  /** Every picture's patches, in prompt order: what the vision encoder takes. */
  pixelValues: Float32Array;
  grids: Grid[];
}

/**
 * Expands the placeholders of the template's token ids with the pictures of `items` (in the order
 * the template rendered them). `encodeText` tokenizes the frame timestamps.
 */
export function expandPrompt(
  templateIds: readonly number[],
  items: readonly PreparedItem[],
  config: VisionConfig,
  encodeText: (text: string) => number[],
): VisionPrompt {
  const { image, video, visionStart, visionEnd } = config.tokens;
  const ids: number[] = [];
  const pictures: PreparedImage[] = [];
  let next = 0;
  const take = (kind: PreparedItem['kind']) => {
    const item = items[next++];
    if (item?.kind !== kind) {
      throw new RangeError(`The chat template rendered a ${kind} placeholder the messages do not have.`);
    }
    return item;
  };
  for (let i = 0; i < templateIds.length; i++) {
    const id = templateIds[i] as number;
    if (id === image && image !== video) {
      const item = take('image') as Extract<PreparedItem, { kind: 'image' }>;
      pictures.push(item.image);
      for (let k = 0; k < item.image.tokens; k++) ids.push(image);
    } else if (id === video && ids.at(-1) === visionStart && templateIds[i + 1] === visionEnd) {
      const item = take('video') as Extract<PreparedItem, { kind: 'video' }>;
      ids.pop();
      for (const frame of item.frames) {
        ids.push(...encodeText(`<${seconds(frame.timeMs)} seconds>`), visionStart);
        for (let k = 0; k < frame.image.tokens; k++) ids.push(video);
        ids.push(visionEnd);
        pictures.push(frame.image);
      }
      i++;
    } else {
      ids.push(id);
    }
  }
  if (next !== items.length) {
    throw new RangeError(
      `The chat template rendered ${next} picture placeholders for ${items.length} pictures: it does not show images.`,
    );
  }
  const grids = pictures.map((p) => p.grid);
  const pixelValues = new Float32Array(pictures.reduce((sum, p) => sum + p.pixelValues.length, 0));
  let at = 0;
  for (const picture of pictures) {
    pixelValues.set(picture.pixelValues, at);
    at += picture.pixelValues.length;
  }
  const positions = promptPositions(
    ids,
    (id) => id === image || id === video,
    grids,
    config.spatialMergeSize,
  );
  return { ids, positions, pixelValues, grids };
}
