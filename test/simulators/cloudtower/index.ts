/**
 * Entry point for tests, the benchmark and the `npm start` orchestrator: start a seeded CloudTower
 * simulator on loopback and get its base URL, the simulator itself and its ground truth.
 */
import type { FaultPlan } from '../common';
import {
  CLOUDTOWER_SIM_PASSWORD,
  CLOUDTOWER_SIM_USERNAME,
  CLOUDTOWER_SIM_VERSION,
  type CloudTowerGroundTruth,
  type CloudTowerSimOptions,
  CloudTowerSimulator,
} from './server';

export { METRIC_DEFS, metricValue, stepForRangeMs } from './metrics';
export type { CloudTowerWorld, Collection, Row } from './model';
export {
  type ChurnPlan,
  CLOUDTOWER_SIM_PASSWORD,
  CLOUDTOWER_SIM_USERNAME,
  CLOUDTOWER_SIM_VERSION,
  type CloudTowerGroundTruth,
  type CloudTowerSimOptions,
  CloudTowerSimulator,
} from './server';

/** A small but realistic estate for the default `npm start` run: 4 VM clusters + 1 storage-only, 60 VMs. */
export const CLOUDTOWER_SMALL = { seed: 7, vms: 60, vmClusters: 4 } as const;

/** A running simulator. `truth` is a ground-truth copy taken on first access; `sim.groundTruth()` copies it anew. */
export interface RunningCloudTowerSimulator {
  baseUrl: string;
  sim: CloudTowerSimulator;
  truth: CloudTowerGroundTruth;
  stop(): Promise<void>;
}

/** Starts a CloudTower simulator on 127.0.0.1 (ephemeral port unless `port` is given). */
export async function startCloudTowerSimulator(
  options: {
    seed: number;
    vms: number;
    faults?: FaultPlan;
    port?: number;
    username?: string;
    password?: string;
  } & Partial<Omit<CloudTowerSimOptions, 'seed' | 'vms'>>,
): Promise<RunningCloudTowerSimulator> {
  const { port, ...simOptions } = options;
  const sim = new CloudTowerSimulator(simOptions);
  const baseUrl = await sim.server.start(port ?? 0);
  let truth: CloudTowerGroundTruth | undefined;
  return {
    baseUrl,
    sim,
    // Copied on first use: cloning a 10,000-VM estate costs about a second.
    get truth() {
      truth ??= sim.groundTruth();
      return truth;
    },
    stop: () => sim.server.stop(),
  };
}

/** Default credentials for a simulator started without `username`/`password`. */
export const CLOUDTOWER_SIM_CREDENTIALS = {
  username: CLOUDTOWER_SIM_USERNAME,
  password: CLOUDTOWER_SIM_PASSWORD,
  version: CLOUDTOWER_SIM_VERSION,
} as const;
