/** One REST route as Express knows it: a method and a path pattern such as `/api/sessions/:id`. */
export interface RestRoute {
  method: string;
  path: string;
}

interface LayerLike {
  rawPath?: unknown;
  route?: { path?: unknown; methods?: Record<string, boolean> };
  handle?: { stack?: unknown };
}

const isLayer = (x: unknown): x is LayerLike => typeof x === 'object' && x !== null;

/**
 * Every route registered on an Express 5 router and the routers mounted in it, read from the
 * router's own stack, so that a test (the fuzz suite) reaches a new route without being told.
 */
export function listRoutes(router: { stack?: unknown }, prefix = ''): RestRoute[] {
  const out: RestRoute[] = [];
  if (!Array.isArray(router.stack)) return out;
  for (const layer of router.stack) {
    if (!isLayer(layer)) continue;
    if (layer.route && typeof layer.route.path === 'string') {
      for (const [method, on] of Object.entries(layer.route.methods ?? {})) {
        if (on) out.push({ method: method.toUpperCase(), path: `${prefix}${layer.route.path}` });
      }
    } else if (layer.handle && Array.isArray(layer.handle.stack)) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      out.push(...listRoutes(layer.handle, `${prefix}${mount}`));
    }
  }
  return out;
}
