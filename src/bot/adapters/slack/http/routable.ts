import { parse as parseQuery } from 'node:querystring';

/**
 * What Bolt would make of a verified body, decided before Bolt sees it. Bolt parses a body as a
 * form only when its content type is exactly `application/x-www-form-urlencoded` (a `payload`
 * field holds JSON), and as JSON otherwise.
 */
export function parseLikeBolt(raw: string, contentType: string | undefined): unknown {
  if (contentType === 'application/x-www-form-urlencoded') {
    const form = parseQuery(raw);
    return typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
  }
  return JSON.parse(raw);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** An event Bolt can route and acknowledge itself: an object with a type, and sane channel and item fields. */
function eventProblem(event: unknown): string | undefined {
  if (!isRecord(event) || !isString(event.type)) return 'event without a type';
  // Bolt's function_executed events wait for the app's own ack, and teambot has no functions.
  if (event.type === 'function_executed') return 'function events are not handled';
  const { channel, item } = event;
  if (channel !== undefined && !isString(channel) && !(isRecord(channel) && isString(channel.id))) {
    return 'event with a malformed channel';
  }
  if (item !== undefined && !isRecord(item)) return 'event with a malformed item';
  if ('channel_id' in event && !isString(event.channel_id)) return 'event with a malformed channel_id';
  return undefined;
}

/** A block action teambot's catch-all listener matches (Bolt reads the first action's action_id). */
function actionProblem(body: Record<string, unknown>): string | undefined {
  if (body.type !== 'block_actions') return 'only block actions are handled';
  const [first] = Array.isArray(body.actions) ? body.actions : [];
  if (!isRecord(first) || !isString(first.action_id)) return 'block action without an action_id';
  if (first.block_id !== undefined && !isString(first.block_id))
    return 'block action with a malformed block_id';
  return undefined;
}

/**
 * Why Bolt could not route `body` to one of teambot's listeners (so nothing would acknowledge it
 * and Bolt would answer only after its 3 s timeout, or would throw on it), or undefined when it
 * can. Mirrors the order of Bolt's own `getTypeAndConversation`, limited to what teambot listens
 * to: events, slash commands, block actions, shortcuts, view submissions, plus the URL
 * verification and SSL check Bolt answers itself.
 */
export function unroutableReason(body: unknown): string | undefined {
  if (!isRecord(body)) return 'body is not an object';
  if (body.ssl_check) return undefined; // Bolt answers any truthy ssl_check itself
  if (body.type === 'url_verification') return isString(body.challenge) ? undefined : 'challenge missing';
  if (body.event !== undefined) return eventProblem(body.event);
  if (body.command !== undefined) {
    return isString(body.command) && body.command.startsWith('/') ? undefined : 'malformed command';
  }
  if (body.name !== undefined || body.type === 'block_suggestion') return 'options requests are not handled';
  if (body.actions !== undefined || body.type === 'dialog_submission') return actionProblem(body);
  if (body.type === 'shortcut' || body.type === 'message_action') {
    return isString(body.callback_id) ? undefined : 'shortcut without a callback_id';
  }
  if (body.type === 'view_submission') {
    return isRecord(body.view) && isString(body.view.callback_id) ? undefined : 'view without a callback_id';
  }
  return 'not a kind of request teambot handles';
}
