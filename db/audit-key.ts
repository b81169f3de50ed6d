/**
 * The audit key (config AUDIT_HMAC_KEY) for this process: set once at start-up by each process
 * that appends to or verifies the audit chains, and read where rows are appended, deep inside
 * transactions that have no other way to reach configuration. The database never holds it.
 */
let current: string | null = null;

export function useAuditKey(key: string): void {
  if (key.length < 32) throw new Error('the audit key must be at least 32 characters');
  current = key;
}

export function auditKey(): string {
  if (current === null) throw new Error('no audit key: set AUDIT_HMAC_KEY (32+ characters) for this process');
  return current;
}
