/** Request validation at the edge: zod issues become field errors in a 400 problem. */
import type { z } from 'zod';
import { UNSTORABLE } from '../domain/storable-text';
import { problems, type FieldCode, type FieldError } from './problem';

/** Why zod refused a value, as the field codes clients have texts for. */
function fieldCode(issue: z.core.$ZodIssue): FieldCode {
  switch (issue.code) {
    case 'invalid_type':
      // zod keeps the input only when asked to; its message names what it received.
      return /received (undefined|null)$/.test(issue.message) ? 'required' : 'invalid-type';
    case 'too_small':
      if (issue.origin === 'string') return issue.minimum === 1 ? 'required' : 'too-short';
      return issue.origin === 'array' && issue.minimum === 1 ? 'required' : 'too-small';
    case 'too_big':
      return issue.origin === 'string' ? 'too-long' : 'too-big';
    case 'invalid_format':
      return 'invalid-format';
    case 'invalid_value':
    case 'invalid_union':
      return 'invalid-choice';
    default:
      return 'invalid';
  }
}

export function fieldErrors(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    // Unknown keys are reported by zod on the parent; name each offending key itself.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [prefix, ...path, key].filter(Boolean).join('.'), message: 'unknown field', code: 'unknown-field' as const }));
    }
    return [{ field: [prefix, ...path].filter(Boolean).join('.') || (prefix ?? 'body'), message: issue.message, code: fieldCode(issue) }];
  });
}

/**
 * Where in a parsed value (keys included) a string holds text that cannot be stored as sent.
 * Let through, it fails the write: a 500 on a direct write, and in a workflow's activity a retry
 * without end, leaving the request hanging and the workflow stuck.
 */
function unstorableText(value: unknown, path: string[]): FieldError[] {
  const here = (p: string[]): FieldError[] => [{ field: p.join('.'), message: 'must not contain NUL characters or unpaired surrogates', code: 'unstorable-text' }];
  if (typeof value === 'string') return UNSTORABLE.test(value) ? here(path) : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => unstorableText(v, [...path, String(i)]));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.entries(value).flatMap(([k, v]) => (UNSTORABLE.test(k) ? here([...path, k]) : unstorableText(v, [...path, k])));
  }
  return [];
}

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query'): z.infer<S> {
  const result = schema.safeParse(value);
  const prefix = where === 'query' ? 'query' : undefined;
  if (!result.success) throw problems.invalid(fieldErrors(result.error, prefix));
  const unstorable = unstorableText(result.data, prefix ? [prefix] : []);
  if (unstorable.length) throw problems.invalid(unstorable.map((e) => ({ ...e, field: e.field || 'body' })));
  return result.data;
}
