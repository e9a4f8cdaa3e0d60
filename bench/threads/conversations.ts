/**
 * bench:threads' conversations: each turn a user message of a few sentences about the team's work,
 * different per conversation and turn (a fixed pseudo-random pick, the same on every run).
 */
import { createRng } from '../../src/inference/sampling/rng.js';

const SENTENCES = [
  'The nightly build failed twice this week with a timeout in the integration tests.',
  'Ops says the restarts come from a memory limit that was lowered last month.',
  'The payment tests fail whenever the cache service restarts during the run.',
  'The client retries for longer than the test timeout, so the suite gives up first.',
  'The planning meeting moved to Thursday afternoon and some people join by video.',
  'Replies from the bot arrive late during the morning peak but fast in the evening.',
  'The release note says the queue is faster and old threads are archived after a month.',
  'Nobody has looked at the flaky login test since the last sprint ended.',
  'The product manager wants a short summary before the review on Friday.',
  'We could pin the cache version until the memory limit is raised again.',
  'The staging cluster ran out of disk because the logs were never rotated.',
  'The new dashboard shows the error rate per service and per region.',
  'Customers in the east region saw slower pages for about an hour yesterday.',
  'The on-call engineer restarted the workers and the queue drained in ten minutes.',
  'Please keep the answer short, the channel is busy and people skim it.',
  'The design review asked for one more option with a smaller migration.',
];

/** User message `turn` (0-based) of conversation `conversation`: `sentences` sentences. */
export function userMessage(conversation: number, turn: number, sentences: number): string {
  const next = createRng(conversation * 1000 + turn + 1);
  const picked: string[] = [`Question ${turn + 1} in thread ${conversation + 1}:`];
  for (let i = 0; i < sentences; i++) picked.push(SENTENCES[Math.floor(next() * SENTENCES.length)] as string);
  picked.push('What should we do next?');
  return picked.join(' ');
}

export const SYSTEM_PROMPT = 'You are teambot, a helpful assistant in a team chat. Answer concisely.';
