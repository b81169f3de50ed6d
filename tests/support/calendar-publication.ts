/** Publishing a calendar year through the API: the 202 answer, then its progress until done. */
import { expect } from 'vitest';
import type { HttpResponse, Requester } from './http';

export async function publicationDone(admin: Requester, accepted: HttpResponse, timeout = 20_000): Promise<any> {
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
  expect(accepted.headers.get('location')).toBe(accepted.body.progressUrl);
  let progress: any;
  await expect
    .poll(async () => {
      const res = await admin('GET', accepted.body.progressUrl);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      progress = res.body;
      return progress.done;
    }, { timeout, interval: 100 })
    .toBe(true);
  return progress;
}
