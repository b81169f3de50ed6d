/** A file refused for what it would take to read, not for its bytes on the wire (413 `sheet-too-large`). */
export class SheetTooLarge extends Error {}
