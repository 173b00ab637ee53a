// Entry point of the native (C++ / Node-API) backend. Filled in by the native backend work.
import type { BackendKernels } from '../contract.js';

export function loadNative(): BackendKernels {
  throw new Error('the native addon is not part of this build yet.');
}

export const nativeHowToFix = 'Build it with: npm run build:native (needs cmake and a C++17 compiler).';
