/** One benchmark measurement, as printed by test/bench/run.ts and emitted with `--json`. */
export interface BenchResult {
  /** Scenario-qualified name, e.g. `mapping.eval.divide`. */
  name: string;
  /** The measured value, or null when the scenario could not measure it. */
  value: number | null;
  /** Unit of `value` and `baseline`, e.g. `evals/s`. */
  unit: string;
  /** The reference value (e.g. the original Python library on the same machine), or null. */
  baseline: number | null;
  /** `value / baseline`, or null when either is missing. */
  ratio: number | null;
  /** The target in words, e.g. `≥ 5000000 evals/s`. */
  target: string;
  /** Whether `value` meets the target. */
  ok: boolean;
}
