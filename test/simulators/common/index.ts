/** Shared simulator machinery: loopback server with fault injection, seeded randomness, sessions. */

export { type ChildSimulator, type ChildSimulatorSpec, startSimulatorInChild } from './child';
export { hashUnit, Rng } from './rng';
export {
  type FaultPlan,
  type FaultRule,
  type Middleware,
  type RouteHandler,
  type SimRequest,
  type SimResponse,
  SimServer,
  type SimServerOptions,
  type SimStats,
  type TransientKind,
} from './server';
export { SessionStore } from './sessions';
