/**
 * The app frame's header tools (notifications, colour scheme, account menu: HeaderTools.tsx) load
 * alongside the first page rather than with the app itself: the signed-out pages never need them, and
 * their menus and popovers are a good share of the UI library. AppLayout starts them once the first
 * page has painted and holds their place meanwhile.
 */
type HeaderToolsModule = typeof import('./HeaderTools');

let loaded: HeaderToolsModule | undefined;

export const loadHeaderTools = (): Promise<HeaderToolsModule> =>
  import('./HeaderTools').then((m) => {
    loaded = m;
    return m;
  });

/** The header tools once loaded (the frame's loader saw to it), else undefined. */
export const headerTools = () => loaded;

/** An avatar's letters: the first letters of the first two words of a name. */
export const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join('');

