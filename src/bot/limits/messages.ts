import type { InboundMessage } from '../message.js';

const CJK = /[\u3400-\u9fff]/;

/** Chinese as well as English for Lark users and anyone writing Chinese. */
function wantsChinese(message: Pick<InboundMessage, 'platform' | 'text'>): boolean {
  return message.platform === 'lark' || CJK.test(message.text);
}

/** "about 40 s", "about 3 min", "about 2 h". */
function englishWait(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 120) return `${s} s`;
  const min = Math.ceil(s / 60);
  if (min < 120) return `${min} min`;
  return `${Math.ceil(min / 60)} h`;
}

function chineseWait(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 120) return `${s} 秒`;
  const min = Math.ceil(s / 60);
  if (min < 120) return `${min} 分钟`;
  return `${Math.ceil(min / 60)} 小时`;
}

export type LimitReason = 'requests' | 'chat' | 'tokens' | 'concurrent' | 'unavailable';

/** What a limited sender is told, including when to try again. */
export function limitedNotice(
  message: Pick<InboundMessage, 'platform' | 'text'>,
  reason: LimitReason,
  retryAfterMs: number,
): string {
  const en = (() => {
    switch (reason) {
      case 'concurrent':
        return 'You already have answers in progress. Try again when one has finished.';
      case 'tokens':
        return `You have used today's answer budget. Try again in about ${englishWait(retryAfterMs)}.`;
      case 'chat':
        return `This chat is sending me too many messages. Try again in about ${englishWait(retryAfterMs)}.`;
      case 'unavailable':
        return 'I cannot check usage limits right now. Try again in a minute.';
      default:
        return `You are sending messages too fast. Try again in about ${englishWait(retryAfterMs)}.`;
    }
  })();
  if (!wantsChinese(message)) return en;
  const zh = (() => {
    switch (reason) {
      case 'concurrent':
        return '你已有正在生成的回答，请等它完成后再试。';
      case 'tokens':
        return `你今天的回答额度已用完，请约 ${chineseWait(retryAfterMs)}后再试。`;
      case 'chat':
        return `这个会话发来的消息太多了，请约 ${chineseWait(retryAfterMs)}后再试。`;
      case 'unavailable':
        return '暂时无法检查使用限额，请一分钟后再试。';
      default:
        return `你发消息太快了，请约 ${chineseWait(retryAfterMs)}后再试。`;
    }
  })();
  return `${zh}\n${en}`;
}
