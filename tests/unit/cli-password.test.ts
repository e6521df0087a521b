import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readHiddenLine, type TerminalInput } from '../../electron/cli/password.js';

/** A terminal as the password reader sees it: keys arrive as typed; what it writes and its raw-mode switches are kept. */
function terminal() {
  const modes: boolean[] = [];
  const input = Object.assign(new PassThrough(), { setRawMode: (mode: boolean) => modes.push(mode) }) satisfies TerminalInput;
  const output = new PassThrough();
  let shown = '';
  output.on('data', (c: Buffer) => (shown += c.toString('utf8')));
  return { input, output, modes, shown: () => shown };
}

const cancelled = () => new Error('已取消，未作修改。');

describe('password typed at a terminal', () => {
  it('shows nothing of what is typed, turns echo off then on again, and ends the prompt line', async () => {
    const t = terminal();
    const read = readHiddenLine(t.input, t.output, cancelled);
    t.input.write('正确的');
    // A character split across two reads still comes out whole.
    const bytes = Buffer.from('密码-2019x\u007f\r');
    t.input.write(bytes.subarray(0, 1));
    t.input.write(bytes.subarray(1));
    expect(await read).toBe('正确的密码-2019');
    expect(t.modes).toEqual([true, false]);
    expect(t.shown()).toBe('\n');
  });

  it('Ctrl+C cancels and still gives the terminal its echo back', async () => {
    const t = terminal();
    const read = readHiddenLine(t.input, t.output, cancelled);
    t.input.write('abc\u0003');
    await expect(read).rejects.toThrow('已取消');
    expect(t.modes).toEqual([true, false]);
    expect(t.shown()).toBe('\n');
  });
});
