/** Shapes of a person's notification preferences and of an item's deliveries. */
import { z } from 'zod';
import { DELIVERY_CHANNELS, DELIVERY_STATES } from '../../db/schema';
import { EXTERNAL_CHANNELS } from '../../domain/delivery-rules';

const minuteOfDay = z.number().int().min(0).max(1439);

export const preferencesBody = z
  .strictObject({
    channels: z.array(z.enum(EXTERNAL_CHANNELS)).max(EXTERNAL_CHANNELS.length).describe('channels beyond the inbox (which everyone has)'),
    email: z.email().max(254).nullable(),
    phone: z
      .string()
      .regex(/^\+?\d{6,20}$/, 'digits only, optionally after +')
      .nullable(),
    quietFrom: minuteOfDay.nullable().describe('minute of the Shanghai day quiet hours begin; null with quietUntil: none'),
    quietUntil: minuteOfDay.nullable(),
    digest: z.boolean().describe('reminders come as one message a day (18:00) instead of one by one; escalations to leaders still come at once'),
  })
  .superRefine((p, ctx) => {
    if ((p.quietFrom === null) !== (p.quietUntil === null)) ctx.addIssue({ code: 'custom', path: ['quietUntil'], message: 'quiet hours need both a beginning and an end, or neither' });
    if (p.channels.includes('email') && !p.email) ctx.addIssue({ code: 'custom', path: ['email'], message: 'email is chosen as a channel but no address is given' });
    if (p.channels.includes('sms') && !p.phone) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'SMS is chosen as a channel but no phone number is given' });
    if (new Set(p.channels).size !== p.channels.length) ctx.addIssue({ code: 'custom', path: ['channels'], message: 'a channel is named twice' });
  });

export const preferencesSchema = z.object({
  userId: z.uuid(),
  channels: z.array(z.enum(EXTERNAL_CHANNELS)),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  quietFrom: z.number().int().nullable(),
  quietUntil: z.number().int().nullable(),
  digest: z.boolean(),
  available: z.array(z.enum(EXTERNAL_CHANNELS)).describe('channels this installation is configured to send on'),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});

export const itemDeliverySchema = z.object({
  id: z.number().int(),
  stepKey: z.string(),
  kind: z.string(),
  channel: z.enum(DELIVERY_CHANNELS),
  person: z.object({ userId: z.uuid(), displayName: z.string() }),
  state: z.enum(DELIVERY_STATES),
  scheduledAt: z.string(),
  notBefore: z.string(),
  sentAt: z.string().nullable(),
  skipReason: z.string().nullable().describe('subject_closed, subject_under_review, in_digest, channel_unconfigured, …'),
  lastError: z.string().nullable(),
  attempts: z.array(z.object({ attempt: z.number().int(), outcome: z.string(), error: z.string().nullable(), startedAt: z.string(), finishedAt: z.string().nullable() })),
});
