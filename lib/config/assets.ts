/**
 * Data files shipped next to the code (mappings/*.yaml, the default rate card), read once per cold start so
 * the YAML stays editable without a rebuild. The handlers run from the source tree, the service directory and
 * a Lambda bundle, so a file is looked up in env CONNECTOR_ASSETS_DIR, the cwd, LAMBDA_TASK_ROOT, then upward
 * from this module.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type MetricMapping, parseMetricMapping } from '../connector-utils/mapping/metric-mapping';
import type { ProviderName } from '../providers/provider';

/** Directories searched for a shipped file, most specific first. */
function candidateRoots(): string[] {
  const roots: string[] = [];
  if (process.env.CONNECTOR_ASSETS_DIR) roots.push(resolve(process.env.CONNECTOR_ASSETS_DIR));
  roots.push(process.cwd());
  if (process.env.LAMBDA_TASK_ROOT) roots.push(process.env.LAMBDA_TASK_ROOT);
  try {
    // Source tree: lib/config → repo root; bundle: .esbuild/.build/functions → service root.
    let dir = dirname(fileURLToPath(import.meta.url));
    for (let i = 0; i < 5; i++) {
      roots.push(dir);
      dir = dirname(dir);
    }
  } catch {
    // A CommonJS bundle has no import.meta.url; the other roots still apply.
  }
  return roots;
}

/** The absolute path of a shipped file (e.g. `mappings/prism.yaml`), or null when it is nowhere. */
export function findAsset(relativePath: string): string | null {
  for (const root of candidateRoots()) {
    const p = join(root, relativePath);
    if (existsSync(p)) return p;
  }
  return null;
}

/** The text of a shipped file, or null when it is missing. */
export function readAsset(relativePath: string): string | null {
  const p = findAsset(relativePath);
  return p ? readFileSync(p, 'utf8') : null;
}

const MAPPING_FILES: Record<ProviderName, string> = {
  nutanix: 'mappings/prism.yaml',
  cloudtower: 'mappings/cloudtower.yaml',
};
const mappings = new Map<ProviderName, MetricMapping>();

/** The provider's metric mapping, parsed and compiled once per cold start. */
export function providerMapping(provider: ProviderName): MetricMapping {
  let m = mappings.get(provider);
  if (!m) {
    const file = MAPPING_FILES[provider];
    const text = readAsset(file);
    if (text === null) throw new Error(`metric mapping ${file} is not shipped with this build`);
    m = parseMetricMapping(text, { file });
    mappings.set(provider, m);
  }
  return m;
}
