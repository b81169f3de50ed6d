/** The channels the configuration names, each built once; an unconfigured channel sends nothing. */
import type { Config } from '../../config';
import type { ExternalChannel } from '../../domain/delivery-rules';
import type { ChannelAdapter } from './channel';
import { emailAdapter } from './email';
import { dingTalkRobotAdapter, smsGatewayAdapter, weComRobotAdapter } from './http-post';

type ChannelSettings = Pick<
  Config,
  'SMTP_HOST' | 'SMTP_PORT' | 'SMTP_SECURE' | 'SMTP_USER' | 'SMTP_PASSWORD' | 'SMTP_FROM' | 'SMS_GATEWAY_URL' | 'SMS_GATEWAY_TOKEN' | 'WECOM_ROBOT_URL' | 'DINGTALK_ROBOT_URL'
>;

export function configuredChannels(c: ChannelSettings): Map<ExternalChannel, ChannelAdapter> {
  const adapters: ChannelAdapter[] = [];
  if (c.SMTP_HOST) adapters.push(emailAdapter({ host: c.SMTP_HOST, port: c.SMTP_PORT, secure: c.SMTP_SECURE, user: c.SMTP_USER, password: c.SMTP_PASSWORD, from: c.SMTP_FROM }));
  if (c.SMS_GATEWAY_URL) adapters.push(smsGatewayAdapter(c.SMS_GATEWAY_URL, c.SMS_GATEWAY_TOKEN));
  if (c.WECOM_ROBOT_URL) adapters.push(weComRobotAdapter(c.WECOM_ROBOT_URL));
  if (c.DINGTALK_ROBOT_URL) adapters.push(dingTalkRobotAdapter(c.DINGTALK_ROBOT_URL));
  return new Map(adapters.map((a) => [a.channel, a]));
}
