/**
 * The database schema: the single truth from which migrations are generated (drizzle-kit), one
 * module per concept under db/schema/. `hazards` and the other case tables are the read model
 * that activities keep current; the event tables are the trails of every change, who made it
 * and when; the audit heads anchor those trails.
 */
export * from './schema/directory';
export * from './schema/request-guards';
export * from './schema/hazards';
export * from './schema/audit';
export * from './schema/calendar';
export * from './schema/instruments';
export * from './schema/policies';
export * from './schema/inspections';
export * from './schema/suspensions';
export * from './schema/notices';
export * from './schema/campaigns';
export * from './schema/figures';
export * from './schema/urges';
export * from './schema/review-packs';
export * from './schema/posts';
export * from './schema/stock-imports';
