import type { TurnPayload } from './payload.js';

/** A turn with only text (no command, no attachment): such turns of a burst are answered as one. */
function plain(payload: TurnPayload): boolean {
  return payload.message.command === undefined && payload.message.attachments.length === 0;
}

/** One message to answer, and the turns answered with it (where they are not answered themselves). */
export interface TurnGroup {
  payload: TurnPayload;
  /** The turns joined into it before its last, whose own replies get no answer. */
  merged: TurnPayload[];
}

/**
 * A batch's turns as the messages to answer, in order: consecutive plain turns become one message
 * (their texts joined, answered where the last of them is), a command or a message with
 * attachments stays alone.
 */
export function groupTurns(payloads: readonly TurnPayload[]): TurnGroup[] {
  const groups: TurnPayload[][] = [];
  for (const payload of payloads) {
    const last = groups.at(-1);
    const head = last?.[0];
    if (last !== undefined && head !== undefined && plain(head) && plain(payload)) last.push(payload);
    else groups.push([payload]);
  }
  return groups.map((group) => {
    const last = group.at(-1) as TurnPayload;
    const merged = group.slice(0, -1);
    if (group.length === 1) return { payload: last, merged };
    const text = group.map((payload) => payload.message.text.trim()).join('\n\n');
    return { payload: { ...last, message: { ...last.message, text } }, merged };
  });
}
