/**
 * Why an upload was refused, in evidence's own terms; the API decides how each is answered.
 * `field` names the part of the request at fault.
 */
export type UploadRefusalKind =
  /** Not multipart/form-data at all. */
  | 'not-multipart'
  /** A form that cannot be read: bad headers, a body cut short or abandoned. */
  | 'malformed'
  /** A form that reads but breaks the rules: a bad name, another field, no file. */
  | 'invalid'
  | 'file-too-large'
  | 'too-many-files';

export class UploadRefused extends Error {
  override name = 'UploadRefused';
  constructor(
    readonly kind: UploadRefusalKind,
    message: string,
    readonly field = 'body',
  ) {
    super(message);
  }
}
