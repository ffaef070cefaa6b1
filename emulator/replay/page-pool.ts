/**
 * Memory for the snapshots' page copies: carved from slabs of 64 pages and reused when a snapshot is
 * dropped. One small buffer per page (hundreds of thousands of them over a long replay) cost the
 * garbage collector more than the copies themselves, and freed ones left the process's memory
 * fragmented well past the snapshot budget; a pool keeps it at the most pages ever held at once.
 *
 * A page is a slot number, not an object: a view per page (about 115 bytes of heap each, a quarter of a
 * million of them in a full budget) made the heap, and the room the garbage collector keeps beside it,
 * grow tens of megabytes past what the budget counts. A slot handed out has one owner (one snapshot)
 * until it is released.
 */
import { PAGE_SIZE } from '../memory/ram';

const SLAB_SHIFT = 6;
const SLAB_PAGES = 1 << SLAB_SHIFT;

/** A page of the pool. */
export type PageSlot = number;

export class PagePool {
  private readonly slabs: Uint8Array[] = [];
  private readonly free: PageSlot[] = [];
  /** Slots carved from the slabs so far. */
  private carved = 0;

  /** Bytes the pool holds, pages in use and free (what the snapshots really cost the process). */
  get heldBytes(): number {
    return this.slabs.length * SLAB_PAGES * PAGE_SIZE;
  }

  /** A page holding a copy of `PAGE_SIZE` bytes of `source` from `offset`. */
  copy(source: Uint8Array, offset: number): PageSlot {
    const slot = this.take();
    this.slabs[slot >>> SLAB_SHIFT].set(source.subarray(offset, offset + PAGE_SIZE), offsetIn(slot));
    return slot;
  }

  /** A page holding what `slot` holds. */
  duplicate(slot: PageSlot): PageSlot {
    return this.copy(this.slabs[slot >>> SLAB_SHIFT], offsetIn(slot));
  }

  /** A page of zeros. */
  zero(): PageSlot {
    const slot = this.take();
    const at = offsetIn(slot);
    this.slabs[slot >>> SLAB_SHIFT].fill(0, at, at + PAGE_SIZE);
    return slot;
  }

  /** The page's bytes (a view: valid until the slot is released). */
  bytes(slot: PageSlot): Uint8Array {
    const at = offsetIn(slot);
    return this.slabs[slot >>> SLAB_SHIFT].subarray(at, at + PAGE_SIZE);
  }

  /** Gives back a page no snapshot refers to any more. */
  release(slot: PageSlot): void {
    this.free.push(slot);
  }

  private take(): PageSlot {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.carved === this.slabs.length * SLAB_PAGES) this.slabs.push(new Uint8Array(SLAB_PAGES * PAGE_SIZE));
    return this.carved++;
  }
}

function offsetIn(slot: PageSlot): number {
  return (slot & (SLAB_PAGES - 1)) * PAGE_SIZE;
}
