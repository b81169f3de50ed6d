/**
 * SMS gateways and the WeCom (企业微信) and DingTalk (钉钉) group robots all take a JSON POST.
 * Each try carries the delivery's idempotency key in a header; a robot's errcode other than 0 is a failure.
 */
import { UndeliverableError, type ChannelAdapter, type OutgoingMessage } from './channel';
import { clipText } from '../../domain/storable-text';

async function postJson(url: string, body: unknown, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${clipText(text, 200)}`);
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = {};
  }
  const code = (parsed as { errcode?: unknown }).errcode;
  if (code !== undefined && code !== 0) throw new Error(`errcode ${String(code)}: ${(parsed as { errmsg?: string }).errmsg ?? ''}`);
}

const content = (m: OutgoingMessage) => `${m.subject}\n${m.text}`;

export function weComRobotAdapter(url: string, timeoutMs = 10_000): ChannelAdapter {
  return {
    channel: 'wecom',
    send: (m) =>
      postJson(url, { msgtype: 'text', text: { content: content(m), mentioned_mobile_list: m.to.phone ? [m.to.phone] : [] } }, { 'Idempotency-Key': m.idempotencyKey }, timeoutMs),
  };
}

export function dingTalkRobotAdapter(url: string, timeoutMs = 10_000): ChannelAdapter {
  return {
    channel: 'dingtalk',
    send: (m) =>
      postJson(url, { msgtype: 'text', text: { content: content(m) }, at: { atMobiles: m.to.phone ? [m.to.phone] : [] } }, { 'Idempotency-Key': m.idempotencyKey }, timeoutMs),
  };
}

/** A gateway taking { to, text } with a bearer token; the key is also in the body for gateways that read it there. */
export function smsGatewayAdapter(url: string, token: string | undefined, timeoutMs = 10_000): ChannelAdapter {
  return {
    channel: 'sms',
    async send(m) {
      if (!m.to.phone) throw new UndeliverableError('no phone number');
      await postJson(url, { to: m.to.phone, text: content(m), idempotencyKey: m.idempotencyKey }, { 'Idempotency-Key': m.idempotencyKey, ...(token ? { authorization: `Bearer ${token}` } : {}) }, timeoutMs);
    },
  };
}
