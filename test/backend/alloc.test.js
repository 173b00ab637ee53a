// allocData: zeroed buffers by default; with `overwritten` (the caller writes every
// element, e.g. a GEMM's output) a buffer of the same shape that Node need not zero;
// the size limit and withAllocationLimit's budget hold either way.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allocData, withAllocationLimit, MAX_ELEMENTS } from '../../dist/autograd/tensor.js';

test('allocData is zeroed, and an overwritten buffer is a whole Float32Array of its own', () => {
  for (const size of [0, 1, 4095, 4096, 100000, 1 << 20]) {
    // dirty the allocator's free memory first, so a missing zero fill would show
    for (let i = 0; i < 4; i++) allocData(size, 'test', true).fill(7);
    const z = allocData(size, 'test');
    assert.ok(z instanceof Float32Array);
    assert.is(z.length, size);
    assert.ok(z.every((v) => v === 0), `allocData(${size}) is not zeroed`);
    const o = allocData(size, 'test', true);
    assert.ok(o instanceof Float32Array);
    assert.is(o.length, size);
    assert.is(o.byteOffset, 0);
    assert.is(o.buffer.byteLength, size * 4, 'its own ArrayBuffer, exactly the size asked');
    o.fill(1.5);
    assert.ok(o.every((v) => v === 1.5));
  }
});

test('overwritten buffers count against the limits', () => {
  assert.throws(() => allocData(MAX_ELEMENTS + 1, 'matmul', true), (e) => e instanceof RangeError && /matmul: the result would have/.test(e.message));
  assert.throws(() => withAllocationLimit(10000, 'too big for the test budget', () => {
    allocData(6000, 'a', true);
    allocData(6000, 'b', true);
  }), (e) => e instanceof RangeError && /too big for the test budget/.test(e.message));
  const ok = withAllocationLimit(10000, 'unused', () => allocData(9000, 'a', true).length);
  assert.is(ok, 9000);
});

test.run();
