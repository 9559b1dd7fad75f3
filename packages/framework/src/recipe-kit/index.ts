export { HolderGuard } from './holder-guard.js';
export { listen } from './listen.js';
export { OwnedNode } from './owned-node.js';
export { RecipeLifecycle } from './recipe-lifecycle.js';
export { localAddress, parseRecipeOptions } from './recipe-options.js';
export { fixForSorting, SequentialContenders, sortContenders } from './sequential-contenders.js';
export { SessionReconciler } from './session-reconciler.js';
export { WatcherScope } from './watcher-scope.js';

export type { HolderGuardOptions, HolderGuardReason } from './holder-guard.js';
export type { OwnedNodeOptions } from './owned-node.js';
export type { Disposer, RecipeState } from './recipe-lifecycle.js';
export type { ContenderPosition } from './sequential-contenders.js';
export type {
  InvalidateReason,
  ReconcileContext,
  ReconcileReason,
  SessionReconcilerOptions,
} from './session-reconciler.js';
