// Fault injection, so tests can see how clients behave when the cluster misbehaves: answer
// matching requests with an error status (with Retry-After for 429/503), add latency, reset the
// connection, never answer; close, silence or reset open watch streams; stop listening
// altogether ("went away") and listen again on the same port ("came back"). Reachable in process
// (SandboxHandle.faults) and over HTTP under /__sandbox/ for sandboxes started by the CLI.

import { badRequest } from './apiStatus';
import { isRecord } from './kubeObject';
import type { WatchDropMode } from './watchSessions';

export interface FaultRule {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Matched against the request path plus query string (any when omitted). */
  path?: string | RegExp;
  /** true: only watch requests; false: only non-watch requests; omitted: both. */
  watch?: boolean;
  /** Number of matching requests the rule applies to before it expires (unlimited when omitted). */
  times?: number;
  /** Answer with this HTTP status and a Kubernetes Status body. */
  status?: number;
  /** Retry-After header (seconds), and Status details.retryAfterSeconds. */
  retryAfterSeconds?: number;
  /** Status message; a realistic one is made up when omitted. */
  message?: string;
  /** Wait this long before answering (or before the injected failure). */
  delayMs?: number;
  /** Destroy the connection without answering. */
  reset?: boolean;
  /** Never answer (the request stays open until the client gives up or the sandbox stops). */
  hang?: boolean;
  /**
   * Only requests that authenticate as this identity (see /__sandbox/identities): lets a test
   * count or fail the requests of one client when several share the sandbox.
   */
  identity?: string;
}

export interface FaultRuleInfo {
  id: string;
  method?: string;
  path?: string;
  watch?: boolean;
  remaining?: number;
  status?: number;
  retryAfterSeconds?: number;
  message?: string;
  delayMs?: number;
  reset?: boolean;
  hang?: boolean;
  identity?: string;
}

export interface FaultController {
  /** Adds a rule; returns its id. */
  add(rule: FaultRule): string;
  remove(id: string): boolean;
  clear(): void;
  list(): FaultRuleInfo[];
  /** close: end the stream as a server timeout would; hang: keep it open but send nothing; reset: drop the connection. */
  dropWatches(mode: WatchDropMode, path?: string | RegExp): number;
  /** Stops listening and drops every connection (the cluster "went away"). */
  goAway(): Promise<void>;
  /** Listens again on the same port. */
  comeBack(): Promise<void>;
  readonly isDown: boolean;
}

/** What the server should do with a request, after all matching rules are combined. */
export interface FaultDecision {
  delayMs: number;
  status?: number;
  retryAfterSeconds?: number;
  message?: string;
  reset?: boolean;
  hang?: boolean;
}

interface ActiveRule extends FaultRule {
  id: string;
  pattern?: RegExp;
  remaining?: number;
}

export interface ServerControls {
  dropWatches(mode: WatchDropMode, path?: RegExp): number;
  stopListening(): Promise<void>;
  startListening(): Promise<void>;
  isListening(): boolean;
}

function toPattern(path: string | RegExp | undefined): RegExp | undefined {
  if (path === undefined) return undefined;
  if (path instanceof RegExp) return path;
  try {
    return new RegExp(path);
  } catch {
    throw badRequest(`invalid path pattern ${JSON.stringify(path)}`);
  }
}

export class FaultInjector implements FaultController {
  private rules: ActiveRule[] = [];
  private nextId = 1;

  constructor(private readonly controls: ServerControls) {}

  add(rule: FaultRule): string {
    const id = `fault-${this.nextId++}`;
    this.rules.push({ ...rule, id, pattern: toPattern(rule.path), remaining: rule.times, method: rule.method?.toUpperCase() });
    return id;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRuleInfo[] {
    return this.rules.map((rule) => ({
      id: rule.id,
      method: rule.method,
      path: rule.pattern?.source,
      watch: rule.watch,
      remaining: rule.remaining,
      status: rule.status,
      retryAfterSeconds: rule.retryAfterSeconds,
      message: rule.message,
      delayMs: rule.delayMs,
      reset: rule.reset,
      hang: rule.hang,
      identity: rule.identity,
    }));
  }

  dropWatches(mode: WatchDropMode, path?: string | RegExp): number {
    return this.controls.dropWatches(mode, toPattern(path));
  }

  goAway(): Promise<void> {
    return this.controls.stopListening();
  }

  comeBack(): Promise<void> {
    return this.controls.startListening();
  }

  get isDown(): boolean {
    return !this.controls.isListening();
  }

  /** Combines every rule matching the request (delays add up; the first failure wins) and uses up their counts. */
  decide(method: string, pathAndQuery: string, isWatch: boolean, identity?: string): FaultDecision | undefined {
    let decision: FaultDecision | undefined;
    for (const rule of this.rules) {
      if (rule.identity !== undefined && rule.identity !== identity) continue;
      if (rule.method !== undefined && rule.method !== method.toUpperCase()) continue;
      if (rule.watch !== undefined && rule.watch !== isWatch) continue;
      if (rule.pattern && !rule.pattern.test(pathAndQuery)) continue;
      decision ??= { delayMs: 0 };
      decision.delayMs += rule.delayMs ?? 0;
      const failing = decision.status !== undefined || decision.reset === true || decision.hang === true;
      if (!failing) {
        if (rule.reset) decision.reset = true;
        else if (rule.hang) decision.hang = true;
        else if (rule.status !== undefined) {
          decision.status = rule.status;
          decision.retryAfterSeconds = rule.retryAfterSeconds;
          decision.message = rule.message;
        }
      }
      if (rule.remaining !== undefined) rule.remaining--;
    }
    this.rules = this.rules.filter((rule) => rule.remaining === undefined || rule.remaining > 0);
    return decision;
  }
}

/** Reads a rule posted as JSON to /__sandbox/faults (path is a regular expression source). */
export function parseFaultRule(value: unknown): FaultRule {
  if (!isRecord(value)) throw badRequest('a fault rule must be a JSON object');
  const rule: FaultRule = {};
  const optionalString = (key: string): string | undefined => {
    const item = value[key];
    if (item === undefined) return undefined;
    if (typeof item !== 'string') throw badRequest(`fault rule field "${key}" must be a string`);
    return item;
  };
  const optionalNumber = (key: string): number | undefined => {
    const item = value[key];
    if (item === undefined) return undefined;
    if (typeof item !== 'number' || !Number.isFinite(item) || item < 0) throw badRequest(`fault rule field "${key}" must be a non-negative number`);
    return item;
  };
  const optionalBoolean = (key: string): boolean | undefined => {
    const item = value[key];
    if (item === undefined) return undefined;
    if (typeof item !== 'boolean') throw badRequest(`fault rule field "${key}" must be a boolean`);
    return item;
  };
  rule.method = optionalString('method');
  rule.path = optionalString('path');
  rule.watch = optionalBoolean('watch');
  rule.times = optionalNumber('times');
  rule.status = optionalNumber('status');
  rule.retryAfterSeconds = optionalNumber('retryAfterSeconds');
  rule.message = optionalString('message');
  rule.delayMs = optionalNumber('delayMs');
  rule.reset = optionalBoolean('reset');
  rule.hang = optionalBoolean('hang');
  rule.identity = optionalString('identity');
  if (rule.status !== undefined && (rule.status < 100 || rule.status > 599)) throw badRequest('fault rule "status" must be an HTTP status code');
  toPattern(rule.path);
  return rule;
}
