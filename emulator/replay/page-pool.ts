/**
 * Memory for the snapshots' page copies: carved from slabs of 64 pages and reused when a snapshot is
 * dropped. One small buffer per page (hundreds of thousands of them over a long replay) cost the
 * garbage collector more than the copies themselves, and freed ones left the process's memory
 * fragmented well past the snapshot budget; a pool keeps it at the most pages ever held at once.
 * A page handed out has one owner (one snapshot) until it is released.
 */
import { PAGE_SIZE } from '../memory/ram';

const SLAB_PAGES = 64;

export class PagePool {
  private readonly free: Uint8Array[] = [];
  private slab: ArrayBuffer | undefined;
  private carved = SLAB_PAGES;
  private slabs = 0;

  /** Bytes the pool holds, pages in use and free (what the snapshots really cost the process). */
  get heldBytes(): number {
    return this.slabs * SLAB_PAGES * PAGE_SIZE;
  }

  /** A page holding a copy of `PAGE_SIZE` bytes of `source` from `offset`. */
  copy(source: Uint8Array, offset: number): Uint8Array {
    const page = this.take();
    page.set(source.subarray(offset, offset + PAGE_SIZE));
    return page;
  }

  /** A page of zeros. */
  zero(): Uint8Array {
    return this.take().fill(0);
  }

  /** Gives back a page no snapshot refers to any more. */
  release(page: Uint8Array): void {
    this.free.push(page);
  }

  private take(): Uint8Array {
    const reused = this.free.pop();
    if (reused) return reused;
    if (this.carved === SLAB_PAGES) {
      this.slab = new ArrayBuffer(SLAB_PAGES * PAGE_SIZE);
      this.carved = 0;
      this.slabs++;
    }
    return new Uint8Array(this.slab!, PAGE_SIZE * this.carved++, PAGE_SIZE);
  }
}
