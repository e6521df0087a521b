import { StringDecoder } from 'node:string_decoder';

/** What a terminal's standard input offers beyond a stream: switching echo and line editing off. */
export type TerminalInput = NodeJS.ReadableStream & { setRawMode(mode: boolean): unknown };

/**
 * One line typed at a terminal, without echo: in raw mode the terminal shows nothing and hands over every key as
 * typed, so Enter ends the line, Backspace erases, Ctrl+C cancels (rejects with `cancelled`). Echo is back on, and a
 * newline written, whatever happens, so the next prompt starts on its own line.
 */
export function readHiddenLine(input: TerminalInput, output: NodeJS.WritableStream, cancelled: () => Error): Promise<string> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    let typed: string[] = [];
    const finish = (error?: Error): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(typed.join(''));
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of typeof chunk === 'string' ? chunk : decoder.write(chunk)) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(cancelled());
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed.push(ch);
      }
    };
    input.setRawMode(true);
    input.on('data', onData);
    input.resume();
  });
}
