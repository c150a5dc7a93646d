/**
 * `serverless package` for local runs of the packaged bundles: builds every function exactly as for
 * deployment (osls + serverless-esbuild, no AWS needed) into a temporary folder and extracts the zips of the
 * functions asked for, so they can be loaded as Lambda would load them.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { load } from 'js-yaml';
import { OSLS_BIN, SERVICE_DIR, unattendedSlsEnv } from './offline';

/** Packaged functions, extracted. */
export interface PackagedFunctions {
  /** Where the zips were extracted (one folder per function). */
  dir: string;
  /** The bundle file of a function (e.g. `…/getResourcesStream/functions/get-resources-stream.cjs`). */
  bundle(fn: string): string;
  remove(): void;
}

/** `functions.<fn>.handler` of serverless.yml → the bundle's path inside the function's zip. */
function bundlePathOf(fn: string): string {
  const config = load(readFileSync(join(SERVICE_DIR, 'serverless.yml'), 'utf8')) as {
    functions?: Record<string, { handler?: string }>;
  };
  const handler = config.functions?.[fn]?.handler;
  if (!handler) throw new Error(`serverless.yml declares no function ${fn}`);
  return `${handler.slice(0, handler.lastIndexOf('.'))}.cjs`;
}

/** Runs osls with `args` in the service directory; rejects with its output when it fails. */
function runOsls(args: string[], env: Record<string, string>, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [OSLS_BIN, ...args], {
      cwd: SERVICE_DIR,
      env: { ...(process.env as Record<string, string>), ...unattendedSlsEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const append = (b: Buffer) => {
      output = (output + b.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`serverless ${args.join(' ')} exited ${code}:\n${output}`));
    });
  });
}

/** Extracts a zip archive (stored or deflated entries, as serverless writes them) into `outDir`. */
export function extractZip(zip: Buffer, outDir: string): string[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + skip;
    if (name.endsWith('/')) continue;
    if (name.split('/').includes('..') || name.startsWith('/')) throw new Error(`unsafe zip entry ${name}`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    if (method !== 0 && method !== 8) throw new Error(`zip entry ${name}: unsupported method ${method}`);
    const file = join(outDir, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, method === 8 ? inflateRawSync(data) : data);
    names.push(name);
  }
  return names;
}

/** Packages the service and extracts `functions` (serverless.yml keys) for local loading. */
export async function packageFunctions(
  functions: readonly string[],
  options: { timeoutMs?: number } = {},
): Promise<PackagedFunctions> {
  const dir = mkdtempSync(join(tmpdir(), 'nflex-package-'));
  const workFolder = join('.esbuild', `package-${process.pid}-${Date.now()}`);
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const artifacts = join(dir, 'artifacts');
    // Its own esbuild work folder, so a running `npm start` or test is never clobbered.
    await runOsls(
      ['package', '--package', artifacts],
      { ESBUILD_WORK_FOLDER: workFolder },
      options.timeoutMs ?? 180_000,
    );
    for (const fn of functions) extractZip(readFileSync(join(artifacts, `${fn}.zip`)), join(dir, fn));
  } catch (err) {
    remove();
    throw err;
  } finally {
    rmSync(join(SERVICE_DIR, workFolder), { recursive: true, force: true });
  }
  return { dir, bundle: (fn) => join(dir, fn, bundlePathOf(fn)), remove };
}
