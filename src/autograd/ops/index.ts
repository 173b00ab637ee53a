export * from './elementwise.js';
export * from './reduce.js';
export * from './shape.js';
export * from './matmul.js';
export * from './conv.js';
export { gather, takeColumns, addColumns } from './gather.js';
