import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';

interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

interface Counter {
  /** Start of the current fixed window (ms). */
  windowStart: number;
  ttl: number;
  current: number;
  previous: number;
  blockedUntil: number;
}

/**
 * Rate-limit counts in constant memory and time per request: a sliding-window counter (the current
 * fixed window's hits plus the previous window's, weighted by how much of it still overlaps the
 * last `ttl`). The library's in-memory storage keeps a timestamp per hit and filters that list on
 * every request: O(hits in the window) work per request, 60,000 array entries at the network's
 * highest per-client limit (and a RangeError past ~120,000 where it spreads the list, with no
 * block duration).
 */
@Injectable()
export class SlidingWindowThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly counters = new Map<string, Counter>();
  private sweep?: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    this.sweep ??= setInterval(() => this.evictIdle(), ttl).unref();
    const now = this.now();
    const id = `${throttlerName}\u0000${key}`;
    const counter = this.roll(this.counters.get(id) ?? { windowStart: now - (now % ttl), ttl, current: 0, previous: 0, blockedUntil: 0 }, now, ttl);
    this.counters.set(id, counter);
    const timeToExpire = Math.max(1, Math.ceil((counter.windowStart + ttl - now) / 1000));
    if (counter.blockedUntil > now) {
      return { totalHits: limit + 1, timeToExpire, isBlocked: true, timeToBlockExpire: Math.max(1, Math.ceil((counter.blockedUntil - now) / 1000)) };
    }
    if (counter.blockedUntil) {
      // The block has run out: the caller starts afresh, as with the library's own storage.
      Object.assign(counter, { current: 0, previous: 0, blockedUntil: 0 });
    }
    counter.current++;
    const totalHits = estimate(counter, now, ttl);
    if (totalHits <= limit) return { totalHits, timeToExpire, isBlocked: false, timeToBlockExpire: 0 };
    counter.blockedUntil = now + (blockDuration > 0 ? blockDuration : ttl);
    return { totalHits, timeToExpire, isBlocked: true, timeToBlockExpire: Math.max(1, Math.ceil((counter.blockedUntil - now) / 1000)) };
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweep);
    this.counters.clear();
  }

  /** Moves the counter's windows up to `now`. */
  private roll(counter: Counter, now: number, ttl: number): Counter {
    const elapsedWindows = Math.floor((now - counter.windowStart) / ttl);
    if (elapsedWindows <= 0) return counter;
    counter.previous = elapsedWindows === 1 ? counter.current : 0;
    counter.current = 0;
    counter.windowStart += elapsedWindows * ttl;
    return counter;
  }

  /** Forgets callers idle for two windows and not blocked: their counts no longer matter. */
  private evictIdle(): void {
    const now = this.now();
    for (const [id, counter] of this.counters) {
      if (counter.blockedUntil <= now && now - counter.windowStart >= 2 * counter.ttl) this.counters.delete(id);
    }
  }
}

/** Hits in the last `ttl`: all of the current window's, and the share of the previous window still inside it. */
function estimate(counter: Counter, now: number, ttl: number): number {
  const overlap = 1 - (now - counter.windowStart) / ttl;
  return counter.current + Math.floor(counter.previous * overlap);
}
