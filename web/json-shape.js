// @ts-check
/**
 * Narrowing what the server or localStorage gave (`unknown` after JSON.parse) before the pages
 * read it, so no value is trusted by its shape alone.
 */

/**
 * A JSON object (not null, not an array), whose fields are still unknown.
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
export const isRecord = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Absent, or a string (or null where `nullable`): an optional field as the pages' types declare it.
 * @param {unknown} value
 * @param {boolean} [nullable]
 */
export const isOptionalString = (value, nullable = false) => value === undefined || typeof value === 'string' || (nullable && value === null);
