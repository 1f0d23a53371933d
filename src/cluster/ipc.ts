/**
 * Request/reply between the primary and its workers over node:cluster's IPC channel. Used for
 * what only the running processes hold (their metrics registries, their buffered usage, the test
 * clock); shared state itself lives in the database (change_seq, leases), never here.
 */
import type { Worker } from "node:cluster";

/** Messages are tagged so they never collide with node's or prom-client's own. */
const TAG = "barbucket";

export interface Ask {
  readonly [TAG]: "ask";
  readonly id: number;
  readonly kind: string;
  readonly data?: unknown;
}

export interface Reply {
  readonly [TAG]: "reply";
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

/** Worker → primary, once its listeners are up. */
export interface Listening {
  readonly [TAG]: "listening";
  readonly ports: { readonly oss: number; readonly rpc: number };
}

type Tagged = Ask | Reply | Listening;

export function isTagged(message: unknown): message is Tagged {
  return typeof message === "object" && message !== null && TAG in message;
}

export function listeningMessage(ports: Listening["ports"]): Listening {
  return { [TAG]: "listening", ports };
}

export function isListening(message: unknown): message is Listening {
  return isTagged(message) && message[TAG] === "listening";
}

let nextId = 1;
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();

/** Primary side: routes replies to their waiting asks (call for every worker message). */
export function handleReply(message: unknown): void {
  if (!isTagged(message) || message[TAG] !== "reply") return;
  const waiter = pending.get(message.id);
  if (!waiter) return;
  pending.delete(message.id);
  clearTimeout(waiter.timer);
  if (message.error !== undefined) waiter.reject(new Error(message.error));
  else waiter.resolve(message.result);
}

/** Asks one worker; rejects after `timeoutMs` (a worker that died mid-way never answers). */
export function ask(worker: Worker, kind: string, data: unknown, timeoutMs: number): Promise<unknown> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`worker ${worker.process.pid} did not answer ${kind} in ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    pending.set(id, { resolve, reject, timer });
    const message: Ask = { [TAG]: "ask", id, kind, data };
    try {
      worker.send(message);
    } catch (error) {
      pending.delete(id);
      clearTimeout(timer);
      reject(error as Error);
    }
  });
}

export type AskHandler = (data: unknown) => unknown;

/** Worker side: answers the primary's asks with `handlers[kind]` (sync or async). */
export function answerAsks(handlers: Readonly<Record<string, AskHandler>>): void {
  process.on("message", (message: unknown) => {
    if (!isTagged(message) || message[TAG] !== "ask") return;
    const reply = (body: { result?: unknown; error?: string }): void => {
      if (process.connected) process.send?.({ [TAG]: "reply", id: message.id, ...body } satisfies Reply);
    };
    const handler = handlers[message.kind];
    if (!handler) return reply({ error: `unknown ask ${message.kind}` });
    Promise.resolve()
      .then(() => handler(message.data))
      .then(
        (result) => reply({ result }),
        (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
      );
  });
}
