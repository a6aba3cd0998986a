/**
 * A model reference as a ready model: `-m auto…` routed on the request about to be sent (the
 * routing code loads only then), anything else resolved as it is. `--explain` without `-m auto`
 * is refused: there would be nothing to explain.
 */
import type { LlmoConfig } from '../../config/load.js';
import { UsageError } from '../../errors.js';
import { allChainSteps, type ChainDefinition, type ChainStep } from '../../orchestrator/chain-definition.js';
import { resolveModelRef } from '../../providers/registry.js';
import type { ModelResolver, ResolvedModel } from '../../orchestrator/call-model.js';
import { isAutoRef } from './is-auto-ref.js';
import type { RouteOptions } from './route-model.js';

export async function resolveWanted(wanted: string, resolve: ModelResolver, options: RouteOptions): Promise<ResolvedModel> {
  if (!isAutoRef(wanted)) {
    if (options.explain) throw new UsageError('--explain shows how -m auto chose a model; use it with -m auto or -m auto:MODE');
    return resolve(wanted);
  }
  const { routeModel } = await import('./route-model.js');
  const route = await routeModel(wanted, options);
  return { ...(await resolve(route.ref)), routed: route.routed };
}

/**
 * `-m auto…` among several references (parallel): each routed once on the request, and a resolver
 * that hands out the chosen model, marked as routed, for the auto reference.
 */
export async function routeEach(
  refs: readonly string[],
  resolve: ModelResolver,
  options: RouteOptions,
): Promise<{ labelOf: (ref: string) => string; resolve: ModelResolver }> {
  const autos = [...new Set(refs.filter(isAutoRef))];
  if (autos.length === 0) {
    if (options.explain) throw new UsageError('--explain shows how -m auto chose a model; use it with -m auto or -m auto:MODE');
    return { labelOf: (ref) => ref, resolve };
  }
  const { chooseModel, prepareRouting } = await import('./route-model.js');
  const context = await prepareRouting();
  const routes = new Map(autos.map((ref) => [ref, chooseModel(context, ref, options)]));
  return {
    labelOf: (ref) => routes.get(ref)?.ref ?? ref,
    resolve: async (ref) => {
      const route = routes.get(ref);
      return route ? { ...(await resolve(route.ref)), routed: route.routed } : resolve(ref);
    },
  };
}

/**
 * Chains' model references as their validation reads them: a step's `model: auto:cheap` (or a
 * fallback) stands for the model routing would choose for it now. Steps are routed on the mode
 * alone, not their prompts, which exist only once earlier steps have run. `anyKey` (chain list,
 * chain lint) asks only whether routing could choose a model, as if every key were at hand.
 * Routing's inputs are read once for all the chains given.
 */
export async function chainRefResolver(
  chains: ChainDefinition | readonly ChainDefinition[],
  config: LlmoConfig,
  options: { anyKey?: boolean } = {},
): Promise<(ref: string) => ReturnType<typeof resolveModelRef>> {
  const refsOf = (step: ChainStep) => [
    ...step.branches.flatMap((branch) => [branch.model, ...branch.fallback]),
    ...(step.merge?.model === undefined ? [] : [step.merge.model]),
  ];
  const mentions = [chains].flat().some((chain) => allChainSteps(chain.steps).some((step) => refsOf(step).some(isAutoRef)));
  if (!mentions) return (ref) => resolveModelRef(config.catalog, ref);
  const { checkChainRoutingMode, chooseModel, prepareRouting } = await import('./route-model.js');
  const context = await prepareRouting(options);
  // The reference stays `auto:…`, so the run resolves it through routing again and records it as routed.
  return (ref) => {
    if (!isAutoRef(ref)) return resolveModelRef(config.catalog, ref);
    checkChainRoutingMode(ref);
    return { ...resolveModelRef(config.catalog, chooseModel(context, ref).ref), ref };
  };
}
