/**
 * A client of the jsii runtime process (`@jsii/runtime`), the way the Python, Java, .NET and Go
 * runtimes talk to it: the process is spawned, and requests and responses are JSON lines on its
 * stdin and stdout. A response is `{ ok }`, `{ error, name }`, or `{ callback }` when the kernel
 * calls back into the host (an override implemented here); the host answers a callback with
 * `{ complete: { cbid, result } }` and then reads the response to the original request.
 *
 * Requests and responses are described in `@jsii/kernel`'s `api.ts`.
 */
import { ChildProcessWithoutNullStreams, spawn } from 'child_process';
import * as path from 'path';
import { createInterface } from 'readline';

/** A reference to an object that lives in the kernel: `{ "$jsii.byref": "<fqn>@<id>" }`. */
export interface ObjRef {
  readonly '$jsii.byref': string;
  readonly '$jsii.interfaces'?: readonly string[];
}

/** What the kernel asks the host to run: a method of an object created with `overrides`. */
export interface Callback {
  readonly cbid: string;
  readonly cookie?: string;
  readonly invoke?: { readonly objref: ObjRef; readonly method: string; readonly args?: unknown[] };
  readonly get?: { readonly objref: ObjRef; readonly property: string };
  readonly set?: { readonly objref: ObjRef; readonly property: string; readonly value: unknown };
}

/** Runs a callback on the host side; may send requests of its own to the kernel. */
export type CallbackHandler = (callback: Callback) => Promise<unknown> | unknown;

/** An override of a method of a jsii type, implemented on the host side. */
export interface MethodOverride {
  readonly method: string;
  readonly cookie: string;
}

/** An `{ error }` response of the kernel, as a host language raises it. */
export class KernelError extends Error {
  public constructor(message: string, public readonly kernelErrorName: string | undefined, public readonly kernelStack: string | undefined) {
    super(message);
    this.name = 'KernelError';
  }
}

type Response =
  | { readonly hello: string }
  | { readonly ok: any }
  | { readonly error: string; readonly name?: string; readonly stack?: string }
  | { readonly callback: Callback };

/** The self-contained runtime bundle that the jsii host libraries spawn. */
export function jsiiRuntimeScript(): string {
  return path.join(path.dirname(require.resolve('@jsii/runtime/package.json')), 'webpack', 'bin', 'jsii-runtime.js');
}

export class JsiiKernelClient {
  /** Spawns the runtime and reads its `hello` line (`@jsii/runtime@<version>`). */
  public static async start(env: NodeJS.ProcessEnv = {}): Promise<JsiiKernelClient> {
    const child = spawn(process.execPath, [jsiiRuntimeScript()], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    const client = new JsiiKernelClient(child);
    const hello = await client.nextResponse();
    if (!('hello' in hello)) {
      throw new Error(`The jsii runtime did not say hello: ${JSON.stringify(hello)}`);
    }
    client.hello = hello.hello;
    return client;
  }

  /** The runtime's greeting, e.g. `@jsii/runtime@1.140.0`. */
  public hello = '';

  private readonly lines: string[] = [];
  private readonly waiters: Array<(line: string | undefined) => void> = [];
  private readonly callbackHandlers = new Map<string, CallbackHandler>();
  private readonly stderrText: string[] = [];
  private exited = false;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => this.push(line));
    // The runtime forwards the output of the JavaScript code as `{ "stderr": "<base64>" }` lines.
    createInterface({ input: child.stderr }).on('line', (line) => this.stderrText.push(decodeForwarded(line)));
    child.on('exit', () => {
      this.exited = true;
      for (const waiter of this.waiters.splice(0)) waiter(undefined);
    });
  }

  /** Registers the host-side implementation of the overrides created with `cookie`. */
  public onCallback(cookie: string, handler: CallbackHandler): void {
    this.callbackHandlers.set(cookie, handler);
  }

  /** What the JavaScript side wrote to stdout and stderr. */
  public get output(): string {
    return this.stderrText.join('\n');
  }

  public async load(name: string, version: string, tarball: string): Promise<{ assembly: string; types: number }> {
    return this.request({ api: 'load', name, version, tarball });
  }

  public async create(fqn: string, args: unknown[] = [], options: { interfaces?: string[]; overrides?: MethodOverride[] } = {}): Promise<ObjRef> {
    return this.request({ api: 'create', fqn, args, interfaces: options.interfaces ?? [], overrides: options.overrides ?? [] });
  }

  public async invoke(objref: ObjRef, method: string, args: unknown[] = []): Promise<any> {
    return (await this.request({ api: 'invoke', objref, method, args })).result;
  }

  public async sinvoke(fqn: string, method: string, args: unknown[] = []): Promise<any> {
    return (await this.request({ api: 'sinvoke', fqn, method, args })).result;
  }

  public async get(objref: ObjRef, property: string): Promise<any> {
    return (await this.request({ api: 'get', objref, property })).value;
  }

  public async sget(fqn: string, property: string): Promise<any> {
    return (await this.request({ api: 'sget', fqn, property })).value;
  }

  /** Ends the runtime process the way the host libraries do (`{ "exit": 0 }`). */
  public async close(): Promise<void> {
    if (this.exited) return;
    const exit = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end(`${JSON.stringify({ exit: 0 })}\n`);
    const timer = setTimeout(() => this.child.kill(), 5_000);
    await exit;
    clearTimeout(timer);
  }

  /** Sends one request; answers the callbacks the kernel makes before it responds. */
  public async request(req: { readonly api: string; readonly [key: string]: unknown }): Promise<any> {
    this.write(req);
    for (;;) {
      const response = await this.nextResponse();
      if ('callback' in response) {
        this.write({ complete: await this.runCallback(response.callback) });
      } else if ('ok' in response) {
        return response.ok;
      } else if ('error' in response) {
        throw new KernelError(response.error, response.name, response.stack);
      } else {
        throw new Error(`Unexpected response of the jsii runtime: ${JSON.stringify(response)}`);
      }
    }
  }

  private async runCallback(callback: Callback): Promise<Record<string, unknown>> {
    const handler = callback.cookie === undefined ? undefined : this.callbackHandlers.get(callback.cookie);
    if (!handler) {
      return { cbid: callback.cbid, err: `No host handler for callback cookie ${callback.cookie}`, name: '@jsii/kernel.Fault' };
    }
    try {
      return { cbid: callback.cbid, result: await handler(callback) };
    } catch (e) {
      return { cbid: callback.cbid, err: (e as Error).message, name: '@jsii/kernel.RuntimeError' };
    }
  }

  private write(message: unknown): void {
    if (this.exited) throw new Error(`The jsii runtime has exited. Its output:\n${this.output}`);
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  private async nextResponse(): Promise<Response> {
    const line = this.lines.shift() ?? await new Promise<string | undefined>((resolve) => this.waiters.push(resolve));
    if (line === undefined) throw new Error(`The jsii runtime exited before responding. Its output:\n${this.output}`);
    return JSON.parse(line) as Response;
  }

  private push(line: string): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(line);
    else this.lines.push(line);
  }
}

function decodeForwarded(line: string): string {
  try {
    const message = JSON.parse(line) as { stderr?: string; stdout?: string };
    const data = message.stderr ?? message.stdout;
    return data === undefined ? line : Buffer.from(data, 'base64').toString('utf8');
  } catch {
    return line;
  }
}
