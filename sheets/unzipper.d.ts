/** The part of unzipper 0.10 (the zip reader exceljs uses) that the bounded workbook reader needs. */
declare module 'unzipper' {
  import type { Duplex } from 'node:stream';
  const unzipper: { Parse(options?: { forceStream?: boolean }): Duplex };
  export default unzipper;
}
