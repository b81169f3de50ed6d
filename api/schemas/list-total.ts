/** How a list page states its total (api/list-total.ts). */
import { z } from 'zod';

export function listTotalSchema(what: string) {
  return {
    /** Matching rows: counted up to 10,000 (`totalAtLeast`: more match), or read whole from the leaders' kept figures. */
    total: z.number().int().describe(`matching ${what}: counted up to 10,000, or read whole from the leaders' figures`),
    totalAtLeast: z.boolean(),
    totalFrom: z.enum(['count', 'figures']).describe("'figures': read from the leaders' kept figures, as of their last fold"),
    totalAsOf: z
      .string()
      .nullable()
      .describe('null: counted with this page; else the moment the total describes (the figures\' last fold, or the first page\'s count carried by the cursor)'),
  };
}
