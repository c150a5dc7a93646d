/**
 * Env vars and docs/operating.md cannot drift apart: every var serverless.yml declares for the functions
 * is in the "Function settings" table and every var there is declared and read; every var the functions'
 * code reads is declared (serverless-offline and Lambda pass on nothing else); every var `npm start`
 * reads is in the "`npm start` settings" table and every var there is read by it.
 */
import { describe, expect, it } from 'vitest';
import {
  envReads,
  isComposedFor,
  readRepoFile,
  sections,
  serverlessConfig,
  serverlessEnvReads,
  tableEnvNames,
} from './repo';

const DOC = 'docs/operating.md';
const FUNCTION_TABLE = 'Function settings';
const START_TABLE = '`npm start` settings';

/** Set by the Lambda runtime, or (CI) only passed through to keep serverless non-interactive: not settings. */
const RUNTIME_PROVIDED = /^(AWS_|LAMBDA_|_HANDLER$|TZ$|CI$)/;

function documented(title: string): string[] {
  const section = sections(readRepoFile(DOC), 3).find((s) => s.title === title);
  if (!section) throw new Error(`${DOC} has no "### ${title}" section`);
  return tableEnvNames(section.body);
}

const declared = Object.keys(serverlessConfig().provider.environment ?? {});
const handlerReads = envReads(['lib', 'functions']);
const startReads = envReads(['scripts']);
const deployReads = serverlessEnvReads();

describe(`env vars in ${DOC}`, () => {
  it('every var serverless.yml declares for the functions is documented', () => {
    const docs = new Set(documented(FUNCTION_TABLE));
    expect(
      declared
        .filter((n) => !docs.has(n))
        .map(
          (n) =>
            `${n}: declared in serverless.yml provider.environment but not in the "${FUNCTION_TABLE}" table of ${DOC}`,
        ),
    ).toEqual([]);
  });

  it('every documented function setting is declared in serverless.yml and read', () => {
    const problems: string[] = [];
    for (const n of documented(FUNCTION_TABLE)) {
      if (!declared.includes(n))
        problems.push(`${n}: in ${DOC} "${FUNCTION_TABLE}" but not declared in serverless.yml`);
      // NODE_OPTIONS is read by Node.js itself; the rest by the functions' code or by serverless at deploy.
      else if (n !== 'NODE_OPTIONS' && !handlerReads.has(n) && !deployReads.has(n)) {
        problems.push(`${n}: documented and declared, but no code in lib/ or functions/ reads it`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every var the functions read is declared in serverless.yml', () => {
    const missing = [...handlerReads]
      .filter(([n]) => !RUNTIME_PROVIDED.test(n) && !declared.includes(n))
      .map(
        ([n, files]) =>
          `${n}: read by ${files.join(', ')} but not declared in serverless.yml provider.environment (and ${DOC})`,
      );
    expect(missing).toEqual([]);
  });

  it('every var npm start reads is documented, and every documented one is read', () => {
    const docs = new Set([...documented(START_TABLE), ...documented(FUNCTION_TABLE)]);
    const problems = [...startReads]
      .filter(([n]) => !RUNTIME_PROVIDED.test(n) && !docs.has(n) && !isComposedFor(n, docs))
      .map(
        ([n, files]) => `${n}: read by ${files.join(', ')} but not in the "${START_TABLE}" table of ${DOC}`,
      );
    for (const n of documented(START_TABLE)) {
      if (!startReads.has(n) && !deployReads.has(n)) {
        problems.push(`${n}: in ${DOC} "${START_TABLE}" but neither scripts/ nor serverless.yml reads it`);
      }
    }
    expect(problems).toEqual([]);
  });
});
