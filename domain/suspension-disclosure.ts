/**
 * What a suspension tells a reader of the notice decision it carries out. A suspension of an
 * enterprise may carry out a decision on a notice to the township's bureau: the enterprise and the
 * grid's supervisor read the order, which stands on its own document number, but which decision
 * of which notice it carries out is for that notice's readers.
 */
import type { SuspensionOrigin } from './suspension';

/** The origin, shown only to a reader who may open its notice (`openable`: the decision ids whose notice the reader may open). */
export function shownOrigin<O extends SuspensionOrigin>(origin: O | null | undefined, openable: ReadonlySet<string>): O | null {
  return origin && openable.has(origin.id) ? origin : null;
}
