/**
 * OpenID Connect single sign-on against a real OpenID provider (oidc-provider, in-process).
 *
 * The redirect flow crosses two HTTP origins (the provider and Tandem), so both listen on real
 * loopback ports and the browser is played by fetch with a small cookie jar per origin.
 *
 * better-auth 1.7's genericOAuth serves its providers through the core social routes:
 * POST /api/auth/sign-in/social { provider: 'sso' } and the redirect URI /api/auth/callback/sso
 * (the older /sign-in/oauth2 and /oauth2/callback/:id routes no longer exist).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
// @ts-expect-error oidc-provider 9 ships no type declarations (and @types/oidc-provider is not installed).
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people } from '../src/server/modules/people/schema.js';
import { ROLE_EMAILS, seededApp, type TestApp } from './context.js';

const CLIENT_ID = 'tandem';
const CLIENT_SECRET = 'tandem-test-client-secret';

/** Accounts known to the provider: one person who exists in Tandem, one who does not. */
const IDP_ACCOUNTS: Record<string, { email: string; name: string }> = {
  'idp-rachel': { email: ROLE_EMAILS.member, name: 'Rachel Okafor' },
  'idp-stranger': { email: 'stranger@elsewhere.example', name: 'Sam Stranger' },
};

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Tandem's config (PUBLIC_URL) needs its port before the app exists: borrow a free one. */
async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe);
  await close(probe);
  return port;
}

/** Cookies for one origin; enough of RFC 6265 for these two servers (no path/domain scoping). */
class CookieJar {
  private cookies = new Map<string, string>();

  store(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eqAt = pair.indexOf('=');
      const name = pair.slice(0, eqAt).trim();
      const value = pair.slice(eqAt + 1).trim();
      // Both servers clear a cookie with an empty value, Max-Age=0 or an expiry in 1970.
      const cleared = value === '' || attributes.some((a) => /^\s*(max-age=0|expires=.*1970)/i.test(a));
      if (cleared) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  names() {
    return [...this.cookies.keys()];
  }

  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

describe('OpenID Connect single sign-on', () => {
  let idpServer: Server;
  let issuer: string;
  let publicUrl: string;
  let t: TestApp;

  beforeAll(async () => {
    // The provider's issuer URL must contain its port, so listen first and attach the provider after.
    const route: { handler?: (req: IncomingMessage, res: ServerResponse) => void } = {};
    idpServer = createServer((req, res) => route.handler!(req, res));
    issuer = `http://127.0.0.1:${await listen(idpServer)}`;
    publicUrl = `http://127.0.0.1:${await freePort()}`;

    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          redirect_uris: [`${publicUrl}/api/auth/callback/sso`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          // better-auth sends the secret in the token request body by default.
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      cookies: { keys: ['oidc-test-cookie-key'] },
      // Explicit lifetimes keep the provider from logging a notice per artifact type.
      ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
      async findAccount(_ctx: unknown, sub: string) {
        const account = IDP_ACCOUNTS[sub];
        if (!account) return undefined;
        return { accountId: sub, claims: async () => ({ sub, email: account.email, email_verified: true, name: account.name }) };
      },
      // devInteractions (the provider's built-in login + consent pages) stand in for the IdP's UI.
      features: { devInteractions: { enabled: true } },
    });
    route.handler = provider.callback();

    t = await seededApp(
      { oidc: { issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, name: 'Test IdP' } },
      { PUBLIC_URL: publicUrl },
    );
    await t.app.listen({ port: Number(new URL(publicUrl).port), host: '127.0.0.1' });
  });

  afterAll(async () => {
    await t?.close();
    if (idpServer) await close(idpServer);
  });

  /**
   * Plays the browser: starts SSO at Tandem, signs in at the provider as `login` and consents,
   * then follows the provider's redirect back into Tandem's callback.
   * Returns Tandem's final redirect (after the callback) and Tandem's cookie jar.
   */
  async function signInThroughProvider(login: string) {
    const tandem = new CookieJar();
    const idp = new CookieJar();

    const start = await fetch(`${publicUrl}/api/auth/sign-in/social`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: publicUrl },
      body: JSON.stringify({ provider: 'sso', callbackURL: '/', disableRedirect: true }),
      redirect: 'manual',
    });
    expect(start.status, await start.clone().text()).toBe(200);
    tandem.store(start);
    const { url } = (await start.json()) as { url: string };
    const authorize = new URL(url);
    expect(authorize.origin).toBe(issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(tandem.names().some((n) => n.includes('state'))).toBe(true);

    // Walk the provider's redirects, answering its login and consent prompts on the way.
    let next: { url: string; init?: RequestInit } = { url };
    for (let hop = 0; hop < 20; hop++) {
      const target = new URL(next.url, issuer);
      if (target.origin !== issuer) {
        // Back to Tandem: the callback with the code, carrying the state cookie set at the start.
        expect(target.href.startsWith(`${publicUrl}/api/auth/callback/sso?`)).toBe(true);
        const callback = await fetch(target, { headers: { cookie: tandem.header() }, redirect: 'manual' });
        tandem.store(callback);
        expect(callback.status).toBe(302);
        return { location: callback.headers.get('location') ?? '', tandem };
      }
      const res = await fetch(target, { ...next.init, headers: { ...next.init?.headers, cookie: idp.header() }, redirect: 'manual' });
      idp.store(res);
      if (res.status >= 300 && res.status < 400) {
        next = { url: res.headers.get('location')! };
        continue;
      }
      const html = await res.text();
      expect(res.status, html).toBe(200);
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!action || (prompt !== 'login' && prompt !== 'consent')) throw new Error(`unexpected provider page: ${html.slice(0, 500)}`);
      const form: Record<string, string> = prompt === 'login' ? { prompt, login, password: 'any' } : { prompt };
      next = {
        url: action,
        init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() },
      };
    }
    throw new Error('too many redirects at the provider');
  }

  it('advertises single sign-on to the sign-in page', async () => {
    const res = await fetch(`${publicUrl}/api/public/config`);
    expect(await res.json()).toMatchObject({ sso: { enabled: true, name: 'Test IdP' } });
  });

  it('signs in a person who exists in Tandem, matched by email', async () => {
    const { location, tandem } = await signInThroughProvider('idp-rachel');
    expect(location).toBe('/');

    const me = await fetch(`${publicUrl}/api/me`, { headers: { cookie: tandem.header() } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: ROLE_EMAILS.member, role: 'member', via: 'session' });
  });

  it('refuses someone the provider knows but Tandem does not, creating nobody', async () => {
    const before = await t.ctx.db.select({ id: people.id }).from(people);
    const { location, tandem } = await signInThroughProvider('idp-stranger');

    // disableImplicitSignUp: better-auth refuses to create the person and sends the browser to its error page.
    expect(new URL(location, publicUrl).searchParams.get('error')).toBe('signup_disabled');
    expect(tandem.names().some((n) => n.includes('session_token'))).toBe(false);
    const me = await fetch(`${publicUrl}/api/me`, { headers: { cookie: tandem.header() } });
    expect(me.status).toBe(401);

    const after = await t.ctx.db.select({ id: people.id }).from(people);
    expect(after.length).toBe(before.length);
    expect(await t.ctx.db.select().from(people).where(eq(people.email, IDP_ACCOUNTS['idp-stranger'].email))).toEqual([]);
  });
});
