export { CacheTimeoutError } from './cache-timeout-error.js';
export { CacheView } from './cache-view.js';
export { NodeCache } from './node-cache.js';
export { PathChildrenCache } from './path-children-cache.js';
export { TreeCache } from './tree-cache.js';
// Re-exported so cache users rarely need @zookit/framework directly for codecs and errors.
export {
  bytesCodec,
  jsonCodec,
  RecipeStateError,
  SchemaViolationError,
  utf8Codec,
} from '@zookit/framework';

export type { CacheEvent, CacheEventType, NodeSnapshot } from './cache-types.js';
export type { NodeCacheOptions } from './node-cache.js';
export type { PathChildrenCacheOptions } from './path-children-cache.js';
export type { TreeCacheOptions } from './tree-cache.js';
export type { Codec } from '@zookit/framework';
