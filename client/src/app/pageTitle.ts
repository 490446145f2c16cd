/**
 * Every page's tab title: its heading, then the product ("提案 · 议堂"), so tabs, history and
 * bookmarks tell pages apart and a screen reader hears where a navigation landed. The heading
 * is read from the page itself (the first h1 in main), so a page names itself once, in its
 * heading, and titles follow it when it changes (a topic's name arriving, the language).
 */
export function titleFor(heading: string | null | undefined, appName: string): string {
  const text = (heading ?? '').replace(/\s+/g, ' ').trim();
  return text === '' || text === appName ? appName : `${text} · ${appName}`;
}

/** Keeps `document.title` in step with the first h1 in `root`; returns the stop function. */
export function followHeading(root: HTMLElement, appName: () => string): () => void {
  let frame = 0;
  const update = () => {
    frame = 0;
    const next = titleFor(root.querySelector('h1')?.textContent, appName());
    if (document.title !== next) document.title = next;
  };
  const schedule = () => {
    if (frame === 0) frame = requestAnimationFrame(update);
  };
  const observer = new MutationObserver(schedule);
  observer.observe(root, { childList: true, subtree: true, characterData: true });
  update();
  return () => {
    observer.disconnect();
    if (frame !== 0) cancelAnimationFrame(frame);
  };
}
