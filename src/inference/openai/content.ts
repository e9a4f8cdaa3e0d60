import type { ChatMessage, ImageInput } from '../types.js';
import type { ImageUrlOf } from './image-urls.js';

type Part = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface OpenAIMessage {
  role: ChatMessage['role'];
  content: string | Part[];
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A video's frames are each announced with their time, so the model can say when something happens. */
function frameLabel(image: ImageInput, index: number, images: ImageInput[]): string | undefined {
  if (image.videoTimeMs === undefined) return undefined;
  const first = images.findIndex((i) => i.videoId === image.videoId && i.videoTimeMs !== undefined);
  const video = image.videoId === undefined ? 'video' : `video ${image.videoId.slice(-8)}`;
  const head = first === index ? `Frames of ${video}:\n` : '';
  return `${head}[${video} at ${seconds(image.videoTimeMs)}]`;
}

/**
 * OpenAI chat messages: plain text content, or, for a message with images, content parts (the images
 * first, each video frame after a text part naming its time, then the message's text).
 */
export async function toOpenAIMessages(messages: ChatMessage[], urlOf: ImageUrlOf): Promise<OpenAIMessage[]> {
  return Promise.all(
    messages.map(async ({ role, content, images }) => {
      if (images === undefined || images.length === 0) return { role, content };
      const parts: Part[] = [];
      for (const [index, image] of images.entries()) {
        const label = frameLabel(image, index, images);
        if (label !== undefined) parts.push({ type: 'text', text: label });
        parts.push({ type: 'image_url', image_url: { url: await urlOf(image) } });
      }
      if (content !== '') parts.push({ type: 'text', text: content });
      return { role, content: parts };
    }),
  );
}
