/** Email over SMTP (nodemailer). The Message-ID is derived from the idempotency key, so a repeat is recognisable downstream. */
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { UndeliverableError, type ChannelAdapter } from './channel';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

export function emailAdapter(s: SmtpSettings, timeoutMs = 15_000): ChannelAdapter {
  const transport = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.secure,
    ...(s.user ? { auth: { user: s.user, pass: s.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    channel: 'email',
    async send(m) {
      if (!m.to.email) throw new UndeliverableError('no email address');
      const id = createHash('sha256').update(m.idempotencyKey).digest('hex').slice(0, 32);
      await transport.sendMail({
        from: s.from,
        to: m.to.email,
        subject: m.subject,
        text: m.text,
        messageId: `<${id}@duban>`,
        headers: { 'X-Idempotency-Key': m.idempotencyKey },
      });
    },
    close: () => transport.close(),
  };
}
