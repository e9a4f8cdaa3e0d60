/** The fields of a Slack file object the adapter reads. */
export interface SlackFile {
  id: string;
  name?: string | undefined;
  mimetype?: string | undefined;
  size?: number | undefined;
  url_private?: string | undefined;
  url_private_download?: string | undefined;
  /** 'check_file_info' when the URLs are left out and files.info must be asked. */
  file_access?: string | undefined;
}

/** The fields of a `message` or `app_mention` event the adapter reads. */
export interface SlackMessageEvent {
  type: 'message' | 'app_mention';
  subtype?: string | undefined;
  channel: string;
  /** im, mpim, group (private channel) or channel; absent on app_mention. */
  channelType?: string | undefined;
  user?: string | undefined;
  botId?: string | undefined;
  text: string;
  ts: string;
  threadTs?: string | undefined;
  /** The sender's team (differs from the workspace for Slack Connect users). */
  userTeam?: string | undefined;
  files: SlackFile[];
}

type Fields = Record<string, unknown>;

const str = (o: Fields, key: string): string | undefined => (typeof o[key] === 'string' ? o[key] : undefined);

function readFile(value: unknown): SlackFile | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Fields;
  const id = str(o, 'id');
  if (id === undefined) return undefined;
  return {
    id,
    name: str(o, 'name') ?? str(o, 'title'),
    mimetype: str(o, 'mimetype'),
    size: typeof o.size === 'number' ? o.size : undefined,
    url_private: str(o, 'url_private'),
    url_private_download: str(o, 'url_private_download'),
    file_access: str(o, 'file_access'),
  };
}

/** Reads a message-like event from Bolt's payload, or undefined when it lacks what a message needs. */
export function readMessageEvent(value: unknown): SlackMessageEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Fields;
  const type = str(o, 'type');
  const channel = str(o, 'channel');
  const ts = str(o, 'ts');
  if ((type !== 'message' && type !== 'app_mention') || channel === undefined || ts === undefined) {
    return undefined;
  }
  const files = Array.isArray(o.files) ? o.files.map(readFile).filter((f) => f !== undefined) : [];
  return {
    type,
    subtype: str(o, 'subtype'),
    channel,
    channelType: str(o, 'channel_type'),
    user: str(o, 'user'),
    botId: str(o, 'bot_id'),
    text: str(o, 'text') ?? '',
    ts,
    threadTs: str(o, 'thread_ts'),
    userTeam: str(o, 'user_team') ?? str(o, 'team'),
    files,
  };
}
