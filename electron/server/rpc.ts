/** Dispatches RpcRequests to the engine: method allow-list and argument checks at the boundary. */
import { ENGINE_METHODS, type EngineApi, type EngineMethod, type RpcResponse } from '../../api/engine-api';
import { validateParams } from '../shared/validate-params';

const ALLOWED: ReadonlySet<string> = new Set(ENGINE_METHODS);

export async function dispatchRpc(engine: EngineApi, raw: unknown): Promise<RpcResponse | null> {
  if (typeof raw !== 'object' || raw === null) return null;
  const { id, method, params } = raw as { id?: unknown; method?: unknown; params?: unknown };
  if (typeof id !== 'number' || !Number.isInteger(id)) return null;
  if (typeof method !== 'string' || !ALLOWED.has(method))
    return { id, error: `unknown method '${String(method)}'` };
  const checked = validateParams(method as EngineMethod, params);
  if (!checked.ok) return { id, error: checked.error };
  try {
    const fn = engine[method as EngineMethod] as (...a: unknown[]) => Promise<unknown>;
    const result = await fn.apply(engine, checked.params);
    return { id, result };
  } catch (e) {
    return { id, error: (e as Error).message ?? String(e) };
  }
}
