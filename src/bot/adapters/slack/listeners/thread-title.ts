import { callSlack } from '../api-errors.js';
import type { ListenerDeps } from './deps.js';

/** The most characters of a question that become its thread's title. */
export const TITLE_MAX_CHARS = 60;

/** A thread's title from its first question: the first line, shortened at a word. */
export function titleOf(question: string): string {
  const line = question.trim().split('\n', 1)[0]?.trim() ?? '';
  if (line.length <= TITLE_MAX_CHARS) return line;
  const cut = line.slice(0, TITLE_MAX_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > TITLE_MAX_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * Titles an assistant thread (what the app's chat history lists) after its first question, once:
 * a KV key marks it done, so other replicas and later messages leave it. Best effort.
 */
export async function titleThread(
  deps: ListenerDeps,
  place: { workspace: string; channel: string; thread: string },
  question: string,
): Promise<void> {
  const title = titleOf(question);
  if (title === '') return;
  const key = `slack:title:${place.workspace}:${place.channel}:${place.thread}`;
  try {
    if (!(await deps.kv.setIfAbsent(key, '1', deps.threadTtlMs))) return;
    await callSlack('assistant.threads.setTitle', () =>
      deps.client.assistant.threads.setTitle({ channel_id: place.channel, thread_ts: place.thread, title }),
    );
  } catch (error) {
    deps.log.debug({ err: error }, 'could not title the thread');
  }
}
