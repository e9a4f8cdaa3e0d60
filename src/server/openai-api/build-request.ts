import type { GenerateRequest, ImageInput, InferenceEngine } from '../../inference/types.js';
import { sees } from '../../inference/vision/sight.js';
import { type ApiFailure, apiFailure } from './errors.js';
import { BadImageError, type ImageLoading, loadImage } from './images.js';
import { type ChatRequest, imagePartsOf, type RequestDefaults, toGenerateRequest } from './schema.js';

export interface RequestBuilderOptions {
  engine: InferenceEngine;
  defaults: RequestDefaults;
  /** Unset: image parts are refused (as with an engine that does not see). */
  images?: ImageLoading;
}

export type BuiltRequest = { ok: true; request: GenerateRequest } | { ok: false; failure: ApiFailure };

const refuse = (message: string, code: string, param: string): BuiltRequest => ({
  ok: false,
  failure: apiFailure(400, message, { code, param, reason: code }),
});

/**
 * A validated body → the engine request, its image parts loaded (see images.ts). A text-only engine
 * gets a clear 400 rather than an answer that pretends to have seen the image; so does a bad image
 * (not an image, too large, unreachable, a refused address), naming the part.
 */
export function requestBuilder(
  options: RequestBuilderOptions,
): (body: ChatRequest, signal?: AbortSignal) => Promise<BuiltRequest> {
  return async (body, signal) => {
    const request = toGenerateRequest(body, options.defaults);
    const parts = imagePartsOf(body);
    if (parts.length === 0) return { ok: true, request };
    const first = parts[0];
    const param = (p: { message: number; part: number }) =>
      `messages.${p.message}.content.${p.part}.image_url`;
    const loading = options.images;
    if (loading === undefined || !sees(options.engine) || first === undefined) {
      return refuse(
        `The model ${options.engine.info().model} does not accept images; send text only.`,
        'image_input_unsupported',
        param(first ?? { message: 0, part: 0 }),
      );
    }
    const misplaced = parts.find((p) => body.messages[p.message]?.role !== 'user');
    if (misplaced !== undefined)
      return refuse('Images are accepted in user messages only.', 'invalid_image', param(misplaced));
    if (parts.length > loading.maxImages)
      return refuse(
        `At most ${loading.maxImages} images per request.`,
        'too_many_images',
        param(parts[loading.maxImages] ?? first),
      );
    const loaded: ImageInput[] = [];
    for (const part of parts) {
      try {
        loaded.push(await loadImage(part.url, loading, signal));
      } catch (error) {
        if (error instanceof BadImageError) return refuse(error.message, 'invalid_image', param(part));
        throw error;
      }
    }
    for (const [index, part] of parts.entries()) {
      const message = request.messages[part.message];
      const image = loaded[index];
      if (message !== undefined && image !== undefined) message.images = [...(message.images ?? []), image];
    }
    return { ok: true, request };
  };
}
