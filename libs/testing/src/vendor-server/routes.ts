// Path patterns for the vendor-server kit: `/v1/customers/:id` captures one segment as `id`
// (URI-decoded); a trailing `/*` captures the rest of the path as `*`. Anything else is literal.
export interface PathPattern {
  source: string;
  regex: RegExp;
  names: string[];
}

export function compilePath(source: string): PathPattern {
  if (!source.startsWith('/')) throw new Error(`path pattern must start with '/': ${source}`);
  const names: string[] = [];
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const parts = source.split('/').map((segment, i, all) => {
    if (segment === '*' && i === all.length - 1) {
      names.push('*');
      return '(.*)';
    }
    if (segment.startsWith(':') && segment.length > 1) {
      names.push(segment.slice(1));
      return '([^/]+)';
    }
    return escape(segment);
  });
  return { source, regex: new RegExp(`^${parts.join('/')}$`), names };
}

/** The params of `path` under `pattern`, or undefined when it does not match. */
export function matchPath(pattern: PathPattern, path: string): Record<string, string> | undefined {
  const m = pattern.regex.exec(path);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  pattern.names.forEach((name, i) => {
    params[name] = safeDecode(m[i + 1]);
  });
  return params;
}

function safeDecode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Which requests a failure rule or a log query applies to; every given field must match. */
export interface RequestMatch<R extends MatchableRequest = MatchableRequest> {
  /** Case-insensitive. */
  method?: string;
  /** A route pattern (`/v1/customers/:id`: the route that answered, or the path matched against it), an exact path, or a RegExp on the path. */
  path?: string | RegExp;
  /** Any other condition, e.g. on a header or the parsed body. */
  where?: (req: R) => boolean;
}

export interface MatchableRequest {
  method: string;
  path: string;
  route: string | undefined;
}

export function matches<R extends MatchableRequest>(match: RequestMatch<R> | undefined, req: R): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== req.method) return false;
  if (match.path !== undefined && !pathMatches(match.path, req)) return false;
  if (match.where && !match.where(req)) return false;
  return true;
}

function pathMatches(path: string | RegExp, req: MatchableRequest): boolean {
  if (path instanceof RegExp) return path.test(req.path);
  if (path === req.path || path === req.route) return true;
  return /(^|\/)(:|\*$)/.test(path) && matchPath(compilePath(path), req.path) !== undefined;
}
