// Draws the worker's progress messages as a cli-progress bar on stderr with
// the running loss and the time left. Nothing is drawn when stderr is not a terminal.
import cliProgress from 'cli-progress';

export class ProgressView {
  private bar: cliProgress.SingleBar | null = null;
  private readonly tty = !!process.stderr.isTTY;

  start(label: string, total: number): void {
    this.end();
    if (!this.tty) return;
    this.bar = new cliProgress.SingleBar({
      stream: process.stderr,
      format: `${label.padEnd(22)} [{bar}] {percentage}% | {value}/{total} | loss {loss} | ETA {eta_formatted}`,
      barsize: 24,
      hideCursor: true,
      etaBuffer: 30,
      fps: 10,
      clearOnComplete: false,
    }, cliProgress.Presets.shades_classic);
    this.bar.start(total, 0, { loss: '-' });
  }

  tick(value: number, loss?: number): void {
    this.bar?.update(value, { loss: loss === undefined ? '-' : loss.toPrecision(5) });
  }

  end(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
