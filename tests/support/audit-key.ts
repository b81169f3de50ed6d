/** Gives each test file's process the run's audit key (global-setup.ts made it). */
import { inject } from 'vitest';
import { useAuditKey } from '../../db/audit-key';

useAuditKey(inject('auditKey'));
