import type { Locator, Page } from 'playwright-core';

/** Page objects for the browser tests: what a person does, not how the DOM is built. */
export class RoomPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  by(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  /** Opens the session link and signs in with a password, as a member with an account does. */
  async signInAndOpen(sessionId: string, username: string, password: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/s/${sessionId}`);
    await this.by('login-username').fill(username);
    await this.by('login-password').fill(password);
    await this.by('login-submit').click();
    await this.by('presence-list').waitFor();
  }

  /** Opens the session link and picks a demo identity. */
  async pickIdentityAndOpen(sessionId: string, memberId: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/s/${sessionId}`);
    await this.by(`identity-${memberId}`).click();
    await this.by('presence-list').waitFor();
    await this.by(`presence-${memberId}`).waitFor();
  }

  /** Clicks a button that asks "are you sure?" and confirms. */
  async confirm(testId: string): Promise<void> {
    await this.by(testId).click();
    await this.by('confirm-yes').click();
  }

  async startSession(): Promise<void> {
    await this.confirm('session-start');
    await this.page.locator('[data-testid="session-state"][data-state="live"]').waitFor();
  }

  poll(pollId: string): Locator {
    return this.by(`poll-${pollId}`);
  }

  /** Creates a yes/no poll with the builder (optionally secret) and returns its id once it shows. */
  async createYesNoPoll(question: string, opts: { secret?: boolean } = {}): Promise<string> {
    const before = await this.pollIds();
    await this.by('poll-builder-question').fill(question);
    await this.by('poll-builder-kind').selectOption('yesno');
    if (opts.secret) await this.by('poll-builder-secret').check();
    await this.by('poll-create').click();
    const created = this.page.locator('[data-testid^="poll-p-"]');
    await this.page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid^="poll-p-"]').length > n,
      before.length,
    );
    const ids = await this.pollIds();
    const id = ids.find((x) => !before.includes(x));
    if (!id) throw new Error(`no new poll among ${await created.count()}`);
    return id;
  }

  /** Casts a yes/no ballot: chooses, then confirms (a ballot cannot be taken back). */
  async vote(pollId: string, choice: 'yes' | 'no' | 'abstain'): Promise<void> {
    await this.poll(pollId).getByTestId(`vote-${choice}`).click();
    await this.poll(pollId).getByTestId('vote-confirm').click();
  }

  async pollIds(): Promise<string[]> {
    const ids = await this.page
      .locator('[data-testid^="poll-p-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
    return ids.map((id) => id.replace(/^poll-/, ''));
  }

  async pollStage(pollId: string, stage: string): Promise<void> {
    await this.page
      .locator(`[data-testid="poll-${pollId}"] [data-testid="poll-state"][data-state="${stage}"]`)
      .waitFor();
  }

  /** Unfolds a console panel on a phone (wide screens show them open). */
  async unfold(heading: string): Promise<void> {
    const fold = this.page.getByRole('button', { name: heading });
    if ((await fold.count()) > 0 && (await fold.getAttribute('aria-expanded')) === 'false') await fold.click();
  }
}

/** Waits until the element's text is exactly `text` (Playwright polls the page; no sleeps). */
export async function textIs(locator: Locator, text: string): Promise<void> {
  const handle = await locator.elementHandle();
  await locator.page().waitForFunction(([el, want]) => el?.textContent?.trim() === want, [handle, text] as const);
}

/**
 * Waits until the minutes editor's text contains `text`. Remote carets (with their owners'
 * names) are drawn inside the text, so they are left out before comparing.
 */
export async function minutesContain(page: Page, text: string): Promise<void> {
  await page.waitForFunction((want) => {
    const editor = document.querySelector('[data-testid="minutes-editor"]');
    if (!editor) return false;
    const copy = editor.cloneNode(true);
    if (!(copy instanceof Element)) return false;
    for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
    return (copy.textContent ?? '').includes(want);
  }, text);
}

/** Signs in on the login page with a demo account's password; the app then goes to `next`. */
export async function signInAt(
  page: Page,
  baseUrl: string,
  login: string,
  next: string,
  password = 'yitang-demo',
): Promise<void> {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await page.getByTestId('login-username').fill(login);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/**
 * A session of a test's own (browser tests share the demo session and may close it), made by
 * staff through the REST API from their signed-in page: open to every member, hybrid,
 * in the demo's hall, an hour from now.
 */
export async function createSession(
  page: Page,
  convenerId: string,
  topic: string,
  agenda: Array<{ title: string; plannedMinutes: number }>,
): Promise<string> {
  return page.evaluate(
    async ({ topic, agenda, convenerId }) => {
      const res = await fetch('/api/sessions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          topic,
          roomId: 'room-shanghu',
          scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
          mode: 'hybrid',
          firstConvenerId: convenerId,
          openToAll: true,
          agenda,
        }),
      });
      if (res.status !== 201) throw new Error(`session not created: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { session: { id: string } }).session.id;
    },
    { topic, agenda, convenerId },
  );
}
