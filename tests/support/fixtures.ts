/** Records tests need before a hazard can exist. */
import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client';
import { enterprises } from '../../db/schema';

export async function insertEnterprise(db: Database, name = '测试化工有限公司'): Promise<string> {
  const [row] = await db
    .insert(enterprises)
    .values({ name, creditCode: `91${randomBytes(8).toString('hex').toUpperCase()}`, region: '示范区', industry: '危险化学品' })
    .returning({ id: enterprises.id });
  return row!.id;
}
