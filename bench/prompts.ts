/**
 * Fixed benchmark prompts in three length classes. The demo model has random weights, so whether
 * greedy decoding hits EOS early depends on the prompt: each class has several candidates and the
 * benchmark keeps the first one that decodes the full token budget.
 */
import type { ChatTurn, PromptGroup } from './protocol.js';

const SHORT = [
  'When is the team meeting this week?',
  'Can you explain the error in the build log?',
  'Please summarize the last message in one line.',
  'What should I bring to the review tomorrow?',
  'Who is on call for the weekend?',
  'Is the deploy still blocked?',
];

const MEDIUM = [
  'The nightly build failed twice this week with a timeout in the integration tests. ' +
    'What could we try first?',
  'The planning meeting moved to Thursday afternoon. Write a short note to the channel ' +
    'that asks who joins by video.',
  'Replies from the bot arrive late during the morning peak but fast in the evening. ' +
    'What are the likely causes?',
  'Explain the release note in plain words: the queue is faster and old threads are archived.',
];

const LONG_SYSTEM = 'You are the team bot in an engineering chat room. Answer briefly and kindly.';

const LONG_BODY =
  'The release was planned for Wednesday. On Tuesday the payment tests failed whenever the cache ' +
  'service restarted: the client retries for longer than the test timeout. ' +
  'Ops says the restarts come from a memory limit lowered last month.';

const LONG_ASKS = [
  'Summarize the thread and suggest what to decide first.',
  'Write a summary for the product manager in three bullet points.',
  'Explain the problem to someone who missed the thread.',
  'Which option would you choose, and why?',
];

const user = (content: string): ChatTurn[] => [{ role: 'user', content }];

export function promptGroups(): PromptGroup[] {
  return [
    { label: 'short', candidates: SHORT.map(user) },
    { label: 'medium', candidates: MEDIUM.map(user) },
    {
      label: 'long',
      candidates: LONG_ASKS.map((ask): ChatTurn[] => [
        { role: 'system', content: LONG_SYSTEM },
        { role: 'user', content: `${LONG_BODY}\n\n${ask}` },
      ]),
    },
  ];
}
