/**
 * `n` zeros in a packed array, for device and CSR registers that go into the saved state. Not
 * `new Array(n).fill(0)`: that array stays holey in V8, and JSON.stringify of a holey array takes a
 * slow path (the PLIC's copies cost ~4 µs each at every checkpoint).
 */
export function zeros(n: number): number[] {
  return Array.from({ length: n }, () => 0);
}
