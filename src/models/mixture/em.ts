// The EM loop (scikit-learn's BaseMixture.fit template), shared by the
// mixtures and the semi-supervised GDA: nInit restarts keeping the run with
// the best final objective, tol on its change between steps, maxIter, a
// convergence warning, progress callbacks and stopping on an AbortSignal.
//   run:  init → E → (M → E)*  until |ℓ_t − ℓ_{t−1}| < tol or maxIter steps
// The E-step result E carries the objective ℓ (mean log-likelihood per
// sample) and whatever the M-step needs (e.g. log-responsibilities).
// emSteps is the loop as a generator that yields after every EM step (drained
// at once by fit(), with event-loop turns by fitAsync(): train.ts).
import { drain } from '../train.js';

/** Progress report after each EM step; return false to stop the fit early. */
export type IterationCallback = (info: { iter: number; logLikelihood: number; run: number }) => boolean | void;

export interface EMSettings {
  name: string;
  maxIter: number;
  tol: number;
  warnings: boolean;
  onIteration?: IterationCallback;
  signal?: AbortSignal;
}

export interface EMHooks<P, E extends { ll: number }> {
  /** Set the initial parameters of run `run`. */
  init(run: number): void;
  eStep(): E;
  mStep(e: E): void;
  /** A copy of the current parameters (kept for the best run). */
  getParams(): P;
}

export interface EMResult<P, E> {
  params: P;
  /** ℓ after each EM step of the kept run. */
  history: number[];
  /** ℓ of the initial parameters of the kept run. */
  init: number;
  converged: boolean;
  nIter: number;
  /** The last E-step of the kept run. */
  last: E;
}

/** Run `runs` EM runs and return the best (the caller installs its params). */
export function runEM<P, E extends { ll: number }>(s: EMSettings, runs: number, h: EMHooks<P, E>): EMResult<P, E> {
  return drain(emSteps(s, runs, h));
}

/** runEM as steps: yields after every EM step (after onIteration and the signal check). */
export function* emSteps<P, E extends { ll: number }>(s: EMSettings, runs: number, h: EMHooks<P, E>): Generator<void, EMResult<P, E>, void> {
  let best: EMResult<P, E> | null = null;
  for (let run = 0; run < runs; run++) {
    h.init(run);
    let e = h.eStep();
    const init = e.ll, history: number[] = [];
    let converged = false, iter = 0, stopped = false;
    for (iter = 1; iter <= s.maxIter; iter++) {
      h.mStep(e);
      const prev = e.ll;
      e = h.eStep();
      history.push(e.ll);
      if (s.onIteration && s.onIteration({ iter, logLikelihood: e.ll, run }) === false) stopped = true;
      if (s.signal?.aborted) stopped = true;
      if (Math.abs(e.ll - prev) < s.tol) { converged = true; break; }
      if (stopped) break;
      yield;
    }
    const nIter = Math.min(iter, s.maxIter);
    if (!converged && !stopped && s.maxIter > 0 && s.warnings) {
      const last = history.length > 1 ? Math.abs(history[history.length - 1] - history[history.length - 2]) : NaN;
      console.warn(`${s.name}: EM run ${run + 1} did not converge in ${s.maxIter} iterations (last change ${last.toExponential(2)} >= tol ${s.tol}); increase maxIter or tol, or pass warnings: false`);
    }
    if (!best || e.ll > best.last.ll) best = { params: h.getParams(), history, init, converged, nIter, last: e };
    if (stopped) break;
  }
  return best!;
}
