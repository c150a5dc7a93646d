/**
 * docs/errors.md lists exactly the error kinds a function can report: the four nflex kinds, the names the
 * error mapping gives (`ValidationError`, `InternalError`), and every typed error class in lib/ that reaches
 * the runner under its own name (a ConnectorError that is not a credentials, permission or validation
 * error, which are reported as their nflex kind). Classes are read from the source, so a new one shows up.
 */
import { describe, expect, it } from 'vitest';
import { filesUnder, readRepoFile, sections } from './repo';

const DOC = 'docs/errors.md';
/** The error kinds the nflex platform classifies. */
const NFLEX_KINDS = ['InvalidCredentials', 'InsufficientPermission', 'NoBillingReport', 'SpendError'];
/** Base classes reported under another name by the error mapping. */
const REPORTED_AS: Record<string, string> = {
  ValidationError: 'ValidationError',
  AuthenticationError: 'InvalidCredentials',
  PermissionError: 'InsufficientPermission',
};

/** Every error kind the code can report, with the file that defines or names it. */
function reportedKinds(): Map<string, string> {
  const parent = new Map<string, string>();
  const fileOf = new Map<string, string>();
  const kinds = new Map<string, string>(NFLEX_KINDS.map((k) => [k, 'the nflex error kinds']));
  for (const file of filesUnder('lib', /\.ts$/)) {
    const src = readRepoFile(file);
    for (const m of src.matchAll(/\bclass (\w+) extends (\w+)/g)) {
      parent.set(m[1]!, m[2]!);
      fileOf.set(m[1]!, file);
    }
    for (const m of src.matchAll(/new HandlerError\(\s*'(\w+)'/g)) kinds.set(m[1]!, file);
  }
  for (const cls of parent.keys()) {
    // Walk up to ConnectorError; the first mapped base on the way decides the reported name.
    let reported: string | null = null;
    let c: string | undefined = cls;
    let reachesConnectorError = false;
    while (c) {
      if (reported === null && REPORTED_AS[c]) reported = REPORTED_AS[c]!;
      if (c === 'ConnectorError') {
        reachesConnectorError = true;
        break;
      }
      c = parent.get(c);
    }
    if (reachesConnectorError && cls !== 'ConnectorError') kinds.set(reported ?? cls, fileOf.get(cls)!);
  }
  return kinds;
}

function documentedKinds(): string[] {
  const section = sections(readRepoFile(DOC), 2).find((s) => s.title === 'Error kinds');
  if (!section) throw new Error(`${DOC} has no "## Error kinds" section`);
  return [...section.body.matchAll(/^\| `(\w+)`/gm)].map((m) => m[1]!);
}

describe(DOC, () => {
  it('documents every error kind a function can report, and no other', () => {
    const kinds = reportedKinds();
    const documented = documentedKinds();
    const problems = [
      ...[...kinds]
        .filter(([k]) => !documented.includes(k))
        .map(([k, file]) => `${k} (${file}) can reach the runner but has no row in ${DOC} "## Error kinds"`),
      ...documented.filter((k) => !kinds.has(k)).map((k) => `${k} is in ${DOC} but no code reports it`),
    ];
    expect(problems).toEqual([]);
  });
});
