/** Request shapes of posts (职务) and the inbox. */
import { z } from 'zod';
import { POSTS } from '../../domain/posts';
import { urlNumber } from './url-number';

export const listPostHoldersQuery = z.strictObject({
  regionId: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'a region id').optional().describe('only holders in this region’s subtree'),
  post: z.enum(POSTS).optional(),
  limit: urlNumber(z.number().int().min(1).max(500).default(100)),
  cursor: z.string().max(500).optional(),
});

export const setPostBody = z.strictObject({
  post: z.enum(POSTS).nullable().describe('the post the person holds in their own region; null takes it away'),
});

export const inboxQuery = z.strictObject({
  unread: z.enum(['true', 'false']).optional().describe('true: only what is unread'),
  limit: urlNumber(z.number().int().min(1).max(200).default(50)),
  cursor: z.string().max(500).optional(),
});

export const deliveryParams = z.strictObject({ id: urlNumber(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)) });
