/**
 * `pactum audit query | head` closes the pipe after a few lines. A write to a closed pipe is an
 * EPIPE error on the stream, which Node turns into an uncaught exception and a stack trace on
 * the terminal. Every command writes through `process.stdout` / `process.stderr`, so one handler
 * here, installed before any command runs, lets all of them end quietly instead, as Unix tools do.
 */

/** Installs the handler on `stream`; `exit` ends the process (exit code 0: the reader had enough). */
export function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream, exit: (code: number) => void = (code) => process.exit(code)): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      exit(0);
      return;
    }
    throw error;
  });
}
