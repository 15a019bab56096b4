/**
 * `/hooks/{listenerId}` and `/hooks/{listenerId}/{secret}` (SPEC §3), split
 * without a router: this runs for every webhook.
 */
export interface HookTarget {
  listenerId: string;
  /** The secret-URL segment, when present. */
  pathSecret: string | undefined;
  /** Everything after `?`, without it ('' when none). */
  queryString: string;
}

const ID = /^[a-z0-9]{32}$/;

/** Returns undefined for a path that cannot name a listener (the caller answers 404). */
export function parseHookPath(url: string): HookTarget | undefined {
  const questionMark = url.indexOf('?');
  const path = questionMark === -1 ? url : url.slice(0, questionMark);
  const queryString = questionMark === -1 ? '' : url.slice(questionMark + 1);
  // '/hooks/'.length === 7
  const rest = path.slice(7);
  const slash = rest.indexOf('/');
  const listenerId = slash === -1 ? rest : rest.slice(0, slash);
  if (!ID.test(listenerId)) return undefined;
  let pathSecret: string | undefined;
  if (slash !== -1) {
    const segment = rest.slice(slash + 1);
    if (segment.includes('/')) return undefined;
    try {
      pathSecret = segment === '' ? undefined : decodeURIComponent(segment);
    } catch {
      return undefined;
    }
  }
  return { listenerId, pathSecret, queryString };
}

/** The path as it may be shown in logs: the secret segment masked. */
export function maskedHookPath(target: HookTarget): string {
  return `/hooks/${target.listenerId}${target.pathSecret === undefined ? '' : '/****'}`;
}
