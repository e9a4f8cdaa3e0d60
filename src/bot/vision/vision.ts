import type { ChatMessage, ImageInput, InferenceEngine } from '../../inference/types.js';
import { sees } from '../../inference/vision/sight.js';
import type { StoredImageRef } from '../../storage/media/model-images.js';
import type { MediaService } from '../../storage/media/service.js';
import type { IngestedMedia } from '../../storage/media/types.js';
import type { RememberedMessage } from '../conversation/memory.js';
import { canReadMedia, MEDIA_READ_DENIED } from '../media-text/scope.js';
import type { MessageContext } from '../pipeline/context.js';

export interface BotVisionSettings {
  /** VISION_WITH_OCR: a model that sees gets the OCR text as well. */
  withOcr: boolean;
  /** VISION_HISTORY_IMAGES: earlier images of the thread reloaded for a later question (newest first). */
  historyImages: number;
}

/** This message's images for the model: the bytes now, and the references memory keeps. */
export interface MessageImages {
  inputs: ImageInput[];
  refs: StoredImageRef[];
}

export interface BotVision {
  readonly withOcr: boolean;
  /**
   * Whether the model looks at this sender's media: the engine sees and the sender holds `media:read`
   * (told once per message when they do not).
   */
  looks(ctx: MessageContext): Promise<boolean>;
  /** Stored media → images for the model (keyframes stored beside their video for later turns). */
  imagesOf(stored: IngestedMedia[]): Promise<MessageImages>;
  /** History with the most recent remembered images reloaded from the store (references gone when it may not look). */
  withImages(ctx: MessageContext, history: RememberedMessage[]): Promise<ChatMessage[]>;
}

const plain = ({ role, content }: ChatMessage): ChatMessage => ({ role, content });

/** The same media as the model is given it now, from the bytes ingest left in memory. */
function inputsOf(media: IngestedMedia, refs: StoredImageRef[]): ImageInput[] {
  if (media.kind === 'image' && media.data !== undefined) {
    return refs.map((ref) => ({
      data: media.data ?? new Uint8Array(),
      mimeType: ref.mimeType,
      objectKey: ref.key,
    }));
  }
  const frames = media.keyframes ?? [];
  return refs.flatMap((ref, i) => {
    const frame = frames[i];
    if (frame === undefined) return [];
    return [
      {
        data: frame.image,
        mimeType: ref.mimeType,
        videoTimeMs: frame.timestampMs,
        videoId: media.id,
        objectKey: ref.key,
      },
    ];
  });
}

/**
 * Images and video keyframes for engines that see (EngineInfo.vision). Memory keeps references
 * (object keys, types, frame times), never bytes; a later question reloads them from the object store.
 */
export function createBotVision(
  engine: InferenceEngine,
  service: MediaService,
  settings: BotVisionSettings,
): BotVision {
  const allowed = async (ctx: MessageContext, tell: boolean) => {
    if (!sees(engine)) return false;
    if (canReadMedia(ctx.scopes)) return true;
    if (tell && ctx.mediaReadDeniedTold !== true) {
      ctx.mediaReadDeniedTold = true;
      await ctx.reply.notice(MEDIA_READ_DENIED);
    }
    return false;
  };
  return {
    withOcr: settings.withOcr,
    looks: (ctx) => allowed(ctx, true),
    async imagesOf(stored) {
      const out: MessageImages = { inputs: [], refs: [] };
      for (const media of stored) {
        const refs = await service.modelImages(media);
        out.refs.push(...refs);
        out.inputs.push(...inputsOf(media, refs));
      }
      return out;
    },
    async withImages(ctx, history) {
      if (settings.historyImages === 0 || !(await allowed(ctx, false))) return history.map(plain);
      let budget = settings.historyImages;
      const out: ChatMessage[] = [];
      for (const message of [...history].reverse()) {
        const refs = (message.media ?? []).slice(-budget);
        if (budget === 0 || refs.length === 0) {
          out.push(plain(message));
          continue;
        }
        budget -= refs.length;
        const images: ImageInput[] = [];
        for (const ref of refs) {
          const data = await service.readImage(ref.key).catch((error: unknown) => {
            ctx.log.warn({ err: error }, 'could not reload an earlier image');
            return undefined;
          });
          if (data === undefined) continue; // deleted (/media-delete) or expired: the text still stands
          const { key, mimeType, videoTimeMs, videoId } = ref;
          images.push({
            data,
            mimeType,
            objectKey: key,
            ...(videoTimeMs === undefined ? {} : { videoTimeMs, videoId }),
          });
        }
        out.push(images.length === 0 ? plain(message) : { ...plain(message), images });
      }
      return out.reverse();
    },
  };
}
