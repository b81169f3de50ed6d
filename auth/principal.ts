/**
 * Who is asking, and how far they can see. Everything people see is limited to their reach:
 * the subtree of their region, and for enterprise users their own enterprise only.
 */
import type { Role, UserKind } from '../db/directory';

export interface Principal {
  userId: string;
  username: string;
  /** A person, or a service account standing for another system (API keys only). */
  kind: UserKind;
  role: Role;
  regionId: string;
  /** The region's path, `/city/county/…/`: their reach is everything under it. */
  regionPath: string;
  enterpriseId: string | null;
  via: 'token' | 'api_key';
}

/** Whether a record placed at `regionPath` (and belonging to `enterpriseId`) is within reach. */
export function canSee(p: Principal, record: { regionPath: string; enterpriseId?: string | null }): boolean {
  if (p.role === 'enterprise') return record.enterpriseId != null && record.enterpriseId === p.enterpriseId;
  return record.regionPath.startsWith(p.regionPath);
}

/** Whether the principal's jurisdiction is the root of the region tree (the city), whose data is everyone's. */
export function atRoot(p: Pick<Principal, 'regionPath'>): boolean {
  return p.regionPath.split('/').filter(Boolean).length === 1;
}
