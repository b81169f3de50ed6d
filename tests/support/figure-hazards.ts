/**
 * The hazards the figures' API tests count: three of enterprise A in county A (one major, listed
 * by the county) and one of enterprise B, registered through the API; those named then fell due
 * some days ago (the read model moved as the workflow would move it), and the figures are folded.
 */
import { inArray } from 'drizzle-orm';
import { expect } from 'vitest';
import { foldFigures } from '../../db/figures/fold';
import { hazards } from '../../db/schema';
import { addDays, dueInstant, shanghaiDate } from '../../domain/shanghai-time';
import type { ApiHarness } from './api-harness';

export type FigureHazard = 'a1' | 'a2' | 'a3' | 'b1';

export async function registerFigureHazards(h: ApiHarness, overdue: { ids: FigureHazard[]; daysAgo: number }): Promise<Record<FigureHazard, string>> {
  const today = shanghaiDate(Date.now());
  const [supA, supB] = await Promise.all([h.as('supervisor-a'), h.as('supervisor-b')]);
  const register = async (as: typeof supA, enterpriseId: string, title: string, grade = 'general', extra: Record<string, unknown> = {}) => {
    const res = await as('POST', '/api/hazards', {
      body: { enterpriseId, title, category: '电气安全', source: 'inspection', grade, deadline: addDays(today, 10), requiredMeasures: '整改', ...extra },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const ids: Record<FigureHazard, string> = {
    a1: await register(supA, h.world.enterpriseA, '配电箱未接地'),
    a2: await register(supA, h.world.enterpriseA, '消防通道堵塞'),
    a3: await register(supA, h.world.enterpriseA, '储罐区泄漏报警失效', 'major', { listingLevel: 'county' }),
    b1: await register(supB, h.world.enterpriseB, '砂轮机无防护罩'),
  };
  const past = addDays(today, -overdue.daysAgo);
  await h.database.db
    .update(hazards)
    .set({ deadline: past, dueAt: new Date(dueInstant(past)) })
    .where(inArray(hazards.id, overdue.ids.map((k) => ids[k])));
  await foldFigures(h.database.db);
  return ids;
}
