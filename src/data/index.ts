// lk.data: bundled MNIST digits, IDX files, images (PNG/TIFF), WAV audio.
export { mnist, type MnistOptions } from './mnist.js';
export { readIdx, parseIdx, readMnistIdx } from './idx.js';
export { readImage, writeImage, decodePng, baboon, type ReadImageOptions } from './image.js';
export { ensureDir } from './files.js';
export { readWav, writeWav } from './wav.js';
