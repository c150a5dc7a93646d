/** Shape of one golden case (see test/fixtures/nflex-golden; generated from the original library). */
export interface GoldenCase {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: golden inputs are heterogeneous JSON
  input: any;
  // biome-ignore lint/suspicious/noExplicitAny: golden outputs are heterogeneous JSON
  expected?: any;
  error?: { type: string; message?: string; phase?: string; [k: string]: unknown };
}

/** A runner replays the cases of one golden kind. */
export interface GoldenRunner {
  /** Runs one case; throws (via expect) when the port's behaviour differs from the golden result. */
  run(c: GoldenCase): void | Promise<void>;
  /** Case name → why the behaviour is a Python accident that TypeScript cannot express. */
  pythonOnly?: Record<string, string>;
  /** Optional check for a python-only case: what the port does instead, asserted. */
  checkPythonOnly?(c: GoldenCase): void | Promise<void>;
}
