// WAV audio via wavefile: samples as a [nSamples, nChannels] float tensor in [−1, 1].
// Node only: wavefile is loaded on first use through process.getBuiltinModule('node:module').
import { Tensor, fmtShape } from '../autograd/tensor.js';
import { readBytes, writeBytes } from './files.js';
import { nodeRequire } from './node.js';

const wavefile = (op: string): any => nodeRequire(import.meta.url, op, 'the Web Audio API (decodeAudioData)')('wavefile');

/** {data [nSamples, nChannels] in [−1, 1], sampleRate} from a PCM or float WAV file (Node). */
export function readWav(path: string): { data: Tensor; sampleRate: number } {
  const { WaveFile } = wavefile('readWav');
  const buf = readBytes(path, 'readWav');
  let wav: any;
  try {
    wav = new WaveFile(buf);
    wav.toBitDepth('32f'); // scales integer PCM to [−1, 1]
  } catch (e: any) {
    throw new Error(`readWav: '${path}' is not a readable WAV file (${e?.message}); convert it to 16-bit PCM WAV`);
  }
  const ch: number = wav.fmt.numChannels;
  let samples: any = wav.getSamples(false, Float64Array);
  if (ch === 1) samples = [samples];
  const n = samples[0].length;
  const out = new Float32Array(n * ch);
  for (let c = 0; c < ch; c++) for (let i = 0; i < n; i++) out[i * ch + c] = samples[c][i];
  return { data: new Tensor(out, [n, ch]), sampleRate: wav.fmt.sampleRate };
}

/**
 * Write samples [nSamples] or [nSamples, nChannels] (values in [−1, 1], clipped)
 * as a 16-bit PCM WAV at `rate` Hz (Node); returns the path.
 */
export function writeWav(path: string, t: Tensor, rate = 44100): string {
  const { WaveFile } = wavefile('writeWav');
  if (!(t instanceof Tensor) || (t.ndim !== 1 && t.ndim !== 2) || t.size === 0) {
    throw new Error(`writeWav: expected a non-empty Tensor [nSamples] or [nSamples, nChannels], got ${t instanceof Tensor ? fmtShape(t.shape) : typeof t}`);
  }
  if (!Number.isInteger(rate) || rate < 1) throw new Error(`writeWav: rate must be a positive integer (Hz), got ${rate}`);
  const n = t.shape[0], ch = t.ndim === 1 ? 1 : t.shape[1];
  const chans = Array.from({ length: ch }, (_, c) => {
    const s = new Int16Array(n);
    for (let i = 0; i < n; i++) {
      const v = t.data[i * ch + c];
      if (Number.isNaN(v)) throw new Error(`writeWav: sample ${i} of channel ${c} is NaN`);
      s[i] = Math.round(Math.max(-1, Math.min(1, v)) * 32767);
    }
    return s;
  });
  const wav = new WaveFile();
  wav.fromScratch(ch, rate, '16', ch === 1 ? chans[0] : chans);
  writeBytes(path, wav.toBuffer(), 'writeWav');
  return path;
}
