import type { InboundMessage } from '../../src/bot/message.js';

let counter = 0;

/** A normalized message with sensible defaults; override what a test cares about. */
export function message(overrides: Partial<InboundMessage> = {}): InboundMessage {
  counter += 1;
  return {
    id: `msg-${process.pid}-${Date.now()}-${counter}`,
    platform: 'slack',
    workspace: 'T1',
    chat: { id: 'D1', kind: 'dm' },
    user: { id: 'U1', name: 'Ada' },
    text: 'hello',
    mentionsBot: false,
    attachments: [],
    receivedAt: new Date(),
    ...overrides,
  };
}
