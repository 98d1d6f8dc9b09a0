import DataLoader from 'dataloader';

// One loader per request and key function: entity references arriving in one gateway fetch
// (`_entities` with many representations) become one query.
const loaders = new WeakMap<object, Map<string, DataLoader<string, unknown>>>();

export function requestLoader<V>(req: object, name: string, batch: (ids: readonly string[]) => Promise<Map<string, V>>): DataLoader<string, V | null> {
  let perRequest = loaders.get(req);
  if (!perRequest) {
    perRequest = new Map();
    loaders.set(req, perRequest);
  }
  let loader = perRequest.get(name) as DataLoader<string, V | null> | undefined;
  if (!loader) {
    loader = new DataLoader<string, V | null>(async (ids) => {
      const found = await batch(ids);
      return ids.map((id) => found.get(id) ?? null);
    });
    perRequest.set(name, loader as DataLoader<string, unknown>);
  }
  return loader;
}
