/**
 * A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe` (no port, no WebSocket, no npm package):
 * Debian's chromium reads commands from fd 3 and writes replies and events to fd 4, each a JSON message ended by
 * a NUL byte. Enough to open a page, evaluate script in it, type text and keys as a user would, and screenshot it.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Readable, Writable } from 'stream';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((candidate) => fs.existsSync(candidate));

interface Pending { resolve: (value: Record<string, unknown>) => void; reject: (error: Error) => void; method: string }

export class HeadlessPage {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buffer = '';
  private sessionId = '';
  private readonly events: Array<{ method: string; params: Record<string, unknown> }> = [];

  private constructor(private readonly child: ChildProcess, private readonly input: Writable, output: Readable) {
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\0')) >= 0) {
        const message = JSON.parse(this.buffer.slice(0, end)) as { id?: number; result?: Record<string, unknown>; error?: { message: string }; method?: string; params?: Record<string, unknown> };
        this.buffer = this.buffer.slice(end + 1);
        if (message.id !== undefined) {
          const waiting = this.pending.get(message.id);
          this.pending.delete(message.id);
          if (message.error) waiting?.reject(new Error(`${waiting.method}: ${message.error.message}`));
          else waiting?.resolve(message.result ?? {});
        } else if (message.method) this.events.push({ method: message.method, params: message.params ?? {} });
      }
    });
  }

  /** Starts headless chromium (a throw-away profile under `profileDir`) and opens `url` in a `width`×`height` page. */
  static async open(url: string, options: { profileDir: string; width: number; height: number }): Promise<HeadlessPage> {
    if (!CHROMIUM) throw new Error('chromium is not installed (apt-get install chromium)');
    const child = spawn(CHROMIUM, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-extensions',
      // Nothing but this machine: every host name but 127.0.0.1 fails to resolve (Browser's analytics, fonts, guides).
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      '--remote-debugging-pipe', `--user-data-dir=${path.resolve(options.profileDir)}`, `--window-size=${options.width},${options.height}`, 'about:blank',
    ], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    child.stderr?.resume();
    const page = new HeadlessPage(child, child.stdio[3] as Writable, child.stdio[4] as Readable);
    const { targetId } = await page.send('Target.createTarget', { url: 'about:blank' }, false) as { targetId: string };
    const { sessionId } = await page.send('Target.attachToTarget', { targetId, flatten: true }, false) as { sessionId: string };
    page.sessionId = sessionId;
    await page.send('Page.enable');
    await page.send('Runtime.enable');
    await page.send('Emulation.setDeviceMetricsOverride', { width: options.width, height: options.height, deviceScaleFactor: 1, mobile: false });
    await page.send('Page.navigate', { url });
    return page;
  }

  send(method: string, params: Record<string, unknown> = {}, inSession = true): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const message = { id, method, params, ...(inSession ? { sessionId: this.sessionId } : {}) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.input.write(`${JSON.stringify(message)}\0`);
    });
  }

  /** Evaluates an expression in the page (awaiting a promise) and returns its value. */
  async evaluate<T>(expression: string): Promise<T> {
    const reply = await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }) as { result: { value: T }; exceptionDetails?: { text: string } };
    if (reply.exceptionDetails) throw new Error(`page script failed: ${reply.exceptionDetails.text}`);
    return reply.result.value;
  }

  /** Polls `expression` until it is truthy; throws with `what` after `timeoutMs`. */
  async waitFor(expression: string, what: string, timeoutMs = 60_000): Promise<void> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (await this.evaluate<boolean>(`Boolean(${expression})`).catch(() => false)) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  }

  /** Types text into the focused element as keyboard input would (IME-style commit). */
  async insertText(text: string): Promise<void> {
    await this.send('Input.insertText', { text });
  }

  /** Presses a key with modifiers (bit field: 1 Alt, 2 Ctrl, 4 Meta, 8 Shift). */
  async press(key: string, code: string, keyCode: number, modifiers = 0): Promise<void> {
    for (const type of ['rawKeyDown', 'keyUp']) {
      await this.send('Input.dispatchKeyEvent', { type, key, code, windowsVirtualKeyCode: keyCode, nativeVirtualKeyCode: keyCode, modifiers });
    }
  }

  /** Uncaught exceptions and console errors the page reported so far (after `Runtime.enable`). */
  pageErrors(): string[] {
    return this.events.flatMap((e) => {
      if (e.method === 'Runtime.exceptionThrown') return [JSON.stringify(e.params.exceptionDetails).slice(0, 2000)];
      if (e.method === 'Runtime.consoleAPICalled' && e.params.type === 'error') return [JSON.stringify(e.params.args).slice(0, 2000)];
      return [];
    });
  }

  async screenshot(file: string): Promise<void> {
    const { data } = await this.send('Page.captureScreenshot', { format: 'png' }) as { data: string };
    fs.writeFileSync(file, Buffer.from(data, 'base64'));
  }

  async close(): Promise<void> {
    await this.send('Browser.close', {}, false).catch(() => undefined);
    await new Promise((resolve) => {
      if (this.child.exitCode !== null) resolve(undefined);
      const timer = setTimeout(() => { this.child.kill('SIGKILL'); resolve(undefined); }, 5_000);
      this.child.once('exit', () => { clearTimeout(timer); resolve(undefined); });
    });
  }
}
