import { ClientClosedError, ClosingError, ConnectionLossError } from '@zookit/client';
import type { Acl, Unsubscribe, WireTlsOptions, ZkClient } from '@zookit/client';
import { withRetry } from '@zookit/retry';
import type { RetryPolicy } from '@zookit/retry';
import { skip, Subject } from 'rxjs';
import type { Observable } from 'rxjs';

import { listen } from '../recipe-kit/listen.js';

import type { AclProvider } from '../acl-provider.js';
import type { ConnectionStateEvent } from '../connection/connection-state.js';
import type { ErrorPolicy } from '../connection/error-policy.js';
import { SessionManager } from '../connection/session-manager.js';
import type { Authorization, ClientFactory } from '../connection/session-manager.js';
import { checkFunction, checkOptions, stateListenerOptions } from './check-options.js';
import { GuaranteedDeleter } from './guaranteed-deleter.js';
import type { GuaranteedDeleteRequest } from './guaranteed-deleter.js';
import { findAndDeleteProtected, mkdirs } from './node-operations.js';

/** Resolved framework settings. */
export interface CoreSettings {
  readonly connectString: string;
  readonly sessionTimeoutMs: number;
  readonly connectionTimeoutMs: number;
  readonly retryPolicy: RetryPolicy;
  readonly errorPolicy: ErrorPolicy;
  readonly authorization: readonly Authorization[];
  readonly transport: 'native' | 'wire';
  readonly tls: WireTlsOptions | boolean | undefined;
  /** Accept read-only servers (wire only; checked when the options are parsed). */
  readonly canBeReadOnly: boolean;
  readonly aclProvider: AclProvider | undefined;
  readonly clientFactory: ClientFactory;
}

/**
 * Lifecycle of the framework.
 *
 * @example
 * ```ts
 * if (zk.state === 'closed') return;
 * ```
 */
export type FrameworkState = 'latent' | 'started' | 'closed';

/**
 * What every namespace view of one framework shares: the session manager, the retry runner, `errors$`,
 * background deletes and the namespaces already created. Internal.
 */
export class FrameworkCore {
  readonly settings: CoreSettings;
  readonly sessions: SessionManager;
  readonly #errors = new Subject<Error>();
  readonly #close = new AbortController();
  readonly #deleter: GuaranteedDeleter;
  readonly #namespaces = new Map<string, Promise<void>>();
  readonly #namespacesDone = new Set<string>();
  readonly #background = new Set<Promise<unknown>>();
  // AbortSignal.any costs microseconds and registers a dependent signal; one per caller signal is enough.
  readonly #combined = new WeakMap<AbortSignal, AbortSignal>();
  #state: FrameworkState = 'latent';
  #closing: Promise<void> | undefined;

  constructor(settings: CoreSettings) {
    this.settings = settings;
    this.sessions = new SessionManager({
      clientFactory: settings.clientFactory,
      clientOptions: {
        connectString: settings.connectString,
        sessionTimeoutMs: settings.sessionTimeoutMs,
        connectTimeoutMs: settings.connectionTimeoutMs,
        transport: settings.transport,
        ...(settings.tls === undefined ? {} : { tls: settings.tls }),
        ...(settings.canBeReadOnly ? { canBeReadOnly: true } : {}),
      },
      authorization: settings.authorization,
      onError: (e) => this.reportError(e),
    });
    this.#deleter = new GuaranteedDeleter(this);
    const provider = settings.aclProvider;
    this.parentAcl = provider === undefined ? undefined : (path) => this.aclFor(path);
  }

  /** The ACL provider as a function for created parents and namespace nodes (`undefined`: no provider). */
  readonly parentAcl: ((path: string) => readonly Acl[] | undefined) | undefined;

  /** The ACL provider's ACL for a full path (Curator's `ACLing`), or `undefined` without a provider. */
  aclFor(path: string): readonly Acl[] | undefined {
    const provider = this.settings.aclProvider;
    if (provider === undefined) return undefined;
    return provider.getAclForPath?.(path) ?? provider.getDefaultAcl();
  }

  get state(): FrameworkState {
    return this.#state;
  }

  get errors$(): Observable<Error> {
    return this.#errors.asObservable();
  }

  /** Aborted (with `ClientClosedError`) when the framework closes. */
  get closeSignal(): AbortSignal {
    return this.#close.signal;
  }

  start(): void {
    if (this.#state !== 'latent') return;
    // If no client can be made this throws, and the framework stays latent.
    this.sessions.start();
    this.#state = 'started';
  }

  /** `ZkFramework.onConnectionStateChange`: listener exceptions go to `errors$`. */
  onStateChange(
    listener: (event: ConnectionStateEvent) => void,
    options: { signal?: AbortSignal; emitCurrent?: boolean },
  ): Unsubscribe {
    checkFunction(listener, 'listener', 'onConnectionStateChange');
    checkOptions(stateListenerOptions, options, 'onConnectionStateChange');
    // The stream replays the latest state; a listener asks for it explicitly.
    const replaying = options.emitCurrent !== true && this.sessions.current !== undefined;
    const source = replaying ? this.sessions.states$.pipe(skip(1)) : this.sessions.states$;
    return listen(source, listener, (error) => this.reportError(error), options.signal);
  }

  /** Reports a background failure. Never throws. */
  reportError(error: unknown): void {
    if (this.#errors.closed) return;
    this.#errors.next(error instanceof Error ? error : new Error(String(error)));
  }

  /** Tracks a background task so close() waits for it and its failure goes to errors$. */
  background(task: Promise<unknown>): void {
    const tracked = task.catch((e: unknown) => {
      if (!this.#close.signal.aborted) this.reportError(e);
    });
    this.#background.add(tracked);
    void tracked.finally(() => this.#background.delete(tracked));
  }

  /** A signal aborted by the caller's signal or by close(). */
  signalFor(signal: AbortSignal | undefined): AbortSignal {
    if (signal === undefined) return this.#close.signal;
    let combined = this.#combined.get(signal);
    if (combined === undefined) {
      combined = AbortSignal.any([signal, this.#close.signal]);
      this.#combined.set(signal, combined);
    }
    return combined;
  }

  /**
   * Runs `fn` with the connected client under the retry policy. Each attempt first waits (at most
   * `connectionTimeoutMs`) for a connection, so a retry after connection loss waits for reconnection.
   * `mapError` may turn an attempt's error into one the policy refuses (the multi's unknown outcome).
   */
  run<T>(
    fn: (client: ZkClient) => Promise<T>,
    signal?: AbortSignal,
    mapError?: (error: unknown) => unknown,
  ): Promise<T> {
    if (this.#state === 'closed') return Promise.reject(new ClientClosedError());
    const combined = this.signalFor(signal);
    let used: ZkClient | undefined;
    const attempt = (): Promise<T> => {
      if (this.#state === 'closed') return Promise.reject(new ClientClosedError());
      // Hot path: connected, so the call goes straight to the client; errors are translated once, below.
      const client = this.sessions.connectedClient;
      if (client !== undefined) {
        used = client;
        return fn(client);
      }
      return this.sessions.awaitClient(this.settings.connectionTimeoutMs, combined).then((c) => {
        used = c;
        return fn(c);
      });
    };
    return withRetry(this.settings.retryPolicy, attempt, {
      signal: combined,
      mapError: (error) => {
        const translated = used === undefined ? error : this.#translate(error, used);
        return mapError === undefined ? translated : mapError(translated);
      },
    });
  }

  /** One attempt of `fn` (no retry), after waiting for a connection. */
  once<T>(fn: (client: ZkClient) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#state === 'closed') return Promise.reject(new ClientClosedError());
    const attempt = (client: ZkClient): Promise<T> =>
      fn(client).catch((error: unknown) => {
        throw this.#translate(error, client);
      });
    // Not an async function: on the hot path (already connected) this adds a single promise.
    const client = this.sessions.connectedClient;
    if (client !== undefined) return attempt(client);
    return this.sessions.awaitClient(this.settings.connectionTimeoutMs, signal).then(attempt);
  }

  /**
   * Ensures the namespace's containers exist, once per framework (Curator's `ensurePathNeeded`). Returns
   * `undefined` once done, so the common case costs no extra await.
   */
  ensureNamespace(namespace: string, signal?: AbortSignal): Promise<void> | undefined {
    if (this.#namespacesDone.has(namespace)) return undefined;
    let pending = this.#namespaces.get(namespace);
    if (pending === undefined) {
      pending = this.run(
        (client) => mkdirs(client, `/${namespace}`, true, this.parentAcl),
        signal,
      ).then(() => {
        this.#namespacesDone.add(namespace);
      });
      this.#namespaces.set(namespace, pending);
      pending.catch(() => this.#namespaces.delete(namespace));
    }
    return pending;
  }

  /**
   * Re-creates the namespace's containers after an operation found them gone (the server reaps an empty
   * container). Resolves `true` if a node had to be created, i.e. the operation is worth trying again.
   */
  reensureNamespace(namespace: string, signal?: AbortSignal): Promise<boolean> {
    return this.run((client) => mkdirs(client, `/${namespace}`, true, this.parentAcl), signal);
  }

  /** Keeps deleting `path` in the background until it is gone (or its owning session is). */
  guaranteedDelete(request: GuaranteedDeleteRequest): void {
    if (this.#state === 'closed') return;
    this.background(this.#deleter.run(request));
  }

  /** Finds the node a failed protected create may have left and deletes it, in the background. */
  deleteProtectedOrphan(
    parent: string,
    protectedId: string,
    ownerSessionId: bigint | undefined,
  ): void {
    if (this.#state === 'closed') return;
    this.background(findAndDeleteProtected(this, parent, protectedId, ownerSessionId));
  }

  close(): Promise<void> {
    this.#closing ??= this.#doClose();
    return this.#closing;
  }

  async #doClose(): Promise<void> {
    this.#state = 'closed';
    this.#close.abort(new ClientClosedError());
    await this.sessions.close();
    await Promise.all([...this.#background]);
    this.#errors.complete();
  }

  #translate(error: unknown, client: ZkClient): unknown {
    if (this.#state === 'closed') {
      return error instanceof ClientClosedError ? error : new ClientClosedError({ cause: error });
    }
    // A client we closed because its session was lost fails its calls with closing errors; for the caller
    // that is a connection loss (outcome unknown), to be retried on the new session.
    if (
      (error instanceof ClosingError || error instanceof ClientClosedError) &&
      this.sessions.isRetired(client)
    ) {
      return new ConnectionLossError({ path: error.path, cause: error });
    }
    return error;
  }
}
