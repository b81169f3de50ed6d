/**
 * Requests Node refuses before Express sees them (oversized headers, malformed HTTP) still get a
 * problem+json answer, like every other refusal.
 */
import type { Server } from 'node:http';

export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const title = status === 431 ? 'Request headers too large' : 'Bad request';
    const body = JSON.stringify({ type: `urn:duban:problem:${status === 431 ? 'headers-too-large' : 'bad-request'}`, title, status });
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
