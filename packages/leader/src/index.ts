export { LeaderLatch } from './leader-latch.js';
export { LeaderSelector } from './leader-selector.js';
export { LeadershipLostError } from './leadership-lost-error.js';
export { LeadershipTimeoutError } from './leadership-timeout-error.js';
export { NO_LEADER } from './participant.js';
// Re-exported so users of this package can catch lifecycle errors without importing the framework.
export { RecipeStateError } from '@zookit/framework';

export type {
  LeaderLatchCloseOptions,
  LeaderLatchDiagnostics,
  LeaderLatchOptions,
  LeadershipWaitOptions,
} from './leader-latch.js';
export type {
  LeaderSelectorDiagnostics,
  LeaderSelectorOptions,
  LeadershipTerm,
  TakeLeadership,
} from './leader-selector.js';
export type { LeadershipLostReason } from './leadership-lost-error.js';
export type { Participant } from './participant.js';
