/**
 * A model reference as a ready model: `-m auto…` routed on the request about to be sent (the
 * routing code loads only then), anything else resolved as it is. `--explain` without `-m auto`
 * is refused: there would be nothing to explain.
 */
import { UsageError } from '../../errors.js';
import type { ModelResolver, ResolvedModel } from '../../orchestrator/call-model.js';
import { isAutoRef } from './is-auto-ref.js';
import type { RouteOptions } from './route-model.js';

export async function resolveWanted(
  wanted: string,
  resolve: ModelResolver,
  options: RouteOptions,
): Promise<{ resolved: ResolvedModel; runnersUp: string[] | undefined }> {
  if (!isAutoRef(wanted)) {
    if (options.explain) throw new UsageError('--explain shows how -m auto chose a model; use it with -m auto or -m auto:MODE');
    return { resolved: await resolve(wanted), runnersUp: undefined };
  }
  const { routeModel } = await import('./route-model.js');
  const route = await routeModel(wanted, options);
  return { resolved: { ...(await resolve(route.ref)), routed: route.routed }, runnersUp: route.runnersUp };
}
