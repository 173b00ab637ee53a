// lk.data: bundled MNIST digits, IDX files, images (PNG/TIFF), WAV audio.
export { mnist, type MnistOptions } from './mnist.js';
export { readIdx, parseIdx, readMnistIdx } from './idx.js';
export { readImage, writeImage, decodePng, baboon } from './image.js';
export { readWav, writeWav } from './wav.js';
