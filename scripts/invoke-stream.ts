/**
 * Invokes a streaming function locally, as Lambda would run it: packages the service (`serverless package`,
 * no AWS needed), loads the function's bundle under the emulated response-streaming runtime and calls it with
 * an event file. The streamed body goes to stdout (or `--out <file>`), the size and timings to stderr; an
 * error prints the error document Lambda would report and exits 1.
 *
 *   npm run invoke:stream -- getResourcesStream events/getResourcesStream.prism.json --out resources.json
 */
import { createWriteStream, readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { invokeStreaming, loadStreamingHandler } from './lib/lambda-streaming';
import { packageFunctions } from './lib/package';

/** `<function> <event file> [--out <file>]`. */
function parseArgs(argv: string[]): { fn: string; eventFile: string; out: string | null } {
  const positional: string[] = [];
  let out: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = argv[++i] ?? null;
    else positional.push(argv[i] as string);
  }
  const [fn, eventFile] = positional;
  if (!fn || !eventFile) {
    throw new Error('usage: invoke-stream <getResourcesStream|getMetricsStream> <event.json> [--out <file>]');
  }
  return { fn, eventFile, out };
}

async function main(): Promise<number> {
  const { fn, eventFile, out } = parseArgs(process.argv.slice(2));
  const event = JSON.parse(readFileSync(eventFile, 'utf8')) as unknown;
  const pkg = await packageFunctions([fn]);
  try {
    const handler = loadStreamingHandler(pkg.bundle(fn));
    const target: Writable = out ? createWriteStream(out) : process.stdout;
    const run = await invokeStreaming(handler, event, { functionName: fn, keepBody: true });
    if (run.body !== null) target.write(run.body);
    if (out) await new Promise<void>((resolve) => (target as Writable).end(resolve));
    if (run.error) {
      console.error(JSON.stringify(run.error, null, 2));
      return 1;
    }
    console.error(
      `${fn}: streamed ${run.bytes.toLocaleString('en-US')} bytes, first byte after ${run.firstByteMs} ms, done after ${run.durationMs} ms`,
    );
    return 0;
  } finally {
    pkg.remove();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
