import { execFile } from 'node:child_process';
import { MediaError, NoVideoStreamError } from './errors.js';
import type { VideoFacts } from './types.js';

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  duration?: string;
  tags?: { rotate?: string };
  side_data_list?: { rotation?: number }[];
}

interface ProbeOutput {
  streams?: ProbeStream[];
  format?: { duration?: string; format_name?: string };
}

function run(ffprobe: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      ffprobe,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve(stdout);
          return;
        }
        if ((error as { killed?: boolean }).killed === true) {
          reject(
            new MediaError(
              'timeout',
              `Reading the video took longer than ${Math.round(timeoutMs / 1000)} s.`,
            ),
          );
          return;
        }
        const detail = stderr.trim().split('\n').at(-1) ?? error.message;
        const wrapped = new MediaError(
          'corrupt',
          `The video could not be read: it looks damaged or truncated (${detail}).`,
        );
        wrapped.cause = error;
        reject(wrapped);
      },
    );
  });
}

/** Duration, codec and resolution of the first video stream (ffprobe, killed after `timeoutMs`). */
export async function probeVideo(ffprobe: string, path: string, timeoutMs: number): Promise<VideoFacts> {
  const text = await run(
    ffprobe,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path],
    timeoutMs,
  );
  let parsed: ProbeOutput;
  try {
    parsed = JSON.parse(text) as ProbeOutput;
  } catch {
    throw new MediaError('corrupt', 'The video could not be read (ffprobe gave no usable answer).');
  }
  const streams = parsed.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video');
  if (video === undefined || video.codec_name === undefined) throw new NoVideoStreamError();
  const audio = streams.find((s) => s.codec_type === 'audio');
  const duration = Number(parsed.format?.duration ?? video.duration ?? Number.NaN);
  if (!Number.isFinite(duration) || duration <= 0) {
    throw new MediaError(
      'corrupt',
      'The video could not be read: its duration is unknown (damaged or truncated?).',
    );
  }
  const rotation = Math.abs(Number(video.tags?.rotate ?? video.side_data_list?.[0]?.rotation ?? 0)) % 180;
  const [width, height] =
    rotation === 90 ? [video.height ?? 0, video.width ?? 0] : [video.width ?? 0, video.height ?? 0];
  return {
    durationSeconds: duration,
    codec: video.codec_name,
    width,
    height,
    ...(audio?.codec_name === undefined ? {} : { audioCodec: audio.codec_name }),
  };
}
