export { dockerAnswers, dockerEndpoints, selectBackend } from './backend-selection.js';
export { ChaosSetup, startConnected, uniqueNamespace } from './chaos-setup.js';
export { commonConfigLines, resolveEnsembleOptions, systemProperties } from './ensemble-options.js';
export { CURATOR_CLASSPATH, CuratorProcess } from './curator-process.js';
export { expireSession } from './expire-session.js';
export { FaultProxy } from './fault-proxy.js';
export { fourLetterWord, serverMode } from './four-letter-word.js';
export { FrameDecoder } from './frame-decoder.js';
export { JuteReader } from './jute-reader.js';
export { JuteWriter } from './jute-writer.js';
export { MiniZkClient } from './mini-zk-client.js';
export { allocatePorts, isPortFree, releasePorts } from './ports.js';
export { loseQuorum, READ_ONLY_CAPABLE_ENSEMBLE, regainQuorum } from './read-only-quorum.js';
export { scaledMs, timeMultiplier, timing, waitFor } from './timing.js';
export { createTestPki } from './test-pki.js';
export {
  decodeConnectResponse,
  decodeReply,
  encodeConnectRequest,
  encodeRequest,
  OpCode,
  SpecialXid,
} from './zk-protocol.js';
export { ZkEnsemble } from './zk-ensemble.js';
export { assertZooKeeperInstalled, ZOOKEEPER_JAR } from './zk-server-process.js';

export type { ChaosHooks, ChaosSetupOptions, Closable, Connectable } from './chaos-setup.js';
export type { BackendKind, DockerEndpoint } from './backend-selection.js';
export type {
  ResolvedEnsembleOptions,
  ZkEnsembleOptions,
  ZkTlsOptions,
} from './ensemble-options.js';
export type { CuratorEvent, CuratorProcessOptions } from './curator-process.js';
export type { ExpireSessionOptions, ExpireSessionResult } from './expire-session.js';
export type { DroppedReply, FaultProxyOptions } from './fault-proxy.js';
export type { ServerMode } from './four-letter-word.js';
export type { MiniCreateMode, MiniWatchEvent, MiniZkClientOptions } from './mini-zk-client.js';
export type { TestPki } from './test-pki.js';
export type { WaitForOptions } from './timing.js';
export type { ConnectRequestFields, ConnectResponseFields, ReplyHeader } from './zk-protocol.js';
