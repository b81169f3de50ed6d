/** Request validation at the edge: zod issues become field errors in a 400 problem. */
import type { z } from 'zod';
import { problems, type FieldError } from './problem';

export function fieldErrors(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    // Unknown keys are reported by zod on the parent; name each offending key itself.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [prefix, ...path, key].filter(Boolean).join('.'), message: 'unknown field' }));
    }
    return [{ field: [prefix, ...path].filter(Boolean).join('.') || (prefix ?? 'body'), message: issue.message }];
  });
}

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query'): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw problems.invalid(fieldErrors(result.error, where === 'query' ? 'query' : undefined));
  return result.data;
}
