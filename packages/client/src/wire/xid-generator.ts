/**
 * Request ids: 1, 2, … 2^31-1, then back to 1. They never reach 0 or the negative values the protocol
 * reserves (-1 notification, -2 ping, -4 auth, -8 set-watches), the defect of the C client (ZOOKEEPER-3286)
 * and of node-zookeeper-client (a `RangeError` after 2^31 requests). The seed is injectable so tests can
 * start next to the wrap point.
 *
 * @example
 * ```ts
 * const xids = new XidGenerator(2 ** 31 - 2);
 * xids.next(); // 2147483646
 * xids.next(); // 2147483647
 * xids.next(); // 1
 * ```
 */
export class XidGenerator {
  private nextXid: number;

  /** @param seed - first xid to hand out; anything outside 1..2^31-1 starts at 1. */
  constructor(seed = 1) {
    this.nextXid = Number.isInteger(seed) && seed >= 1 && seed <= 0x7fffffff ? seed : 1;
  }

  /** The next xid. */
  next(): number {
    const xid = this.nextXid;
    this.nextXid = xid >= 0x7fffffff ? 1 : xid + 1;
    return xid;
  }
}
