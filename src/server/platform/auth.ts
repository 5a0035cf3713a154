import { createHash, randomBytes } from 'node:crypto';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { genericOAuth } from 'better-auth/plugins/generic-oauth';
import { and, eq, like, ne } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Config } from '../config.js';
import { recordAudit } from './audit.js';
import type { Db } from './db.js';
import type { Mailer } from './mail.js';
import { MIN_PASSWORD_LENGTH, passwordProblem } from './passwords.js';
import { accounts, people, rateLimits, sessions, verifications } from './schema.js';

export const SSO_PROVIDER_ID = 'sso';
/** The header the HTTP layer fills with the client's address, for the library's rate limiter. */
export const CLIENT_IP_HEADER = 'x-tandem-client-ip';
export { MIN_PASSWORD_LENGTH };

/**
 * The library routes Tandem uses ("METHOD /path" under /api/auth); every other route of the
 * library (update-user, delete-user, change-email, list-sessions, …) answers 404, so nothing
 * we did not mean to expose is reachable (http-auth.ts).
 */
export function allowedAuthRoutes(config: Config): Set<string> {
  const routes = ['POST /sign-in/email', 'POST /sign-out', 'POST /request-password-reset', 'POST /reset-password', 'POST /change-password'];
  if (config.oidc) routes.push('POST /sign-in/social', `GET /callback/${SSO_PROVIDER_ID}`, `POST /callback/${SSO_PROVIDER_ID}`);
  return new Set(routes);
}

const RESET_PREFIX = 'reset-password:';
/** Reset tokens are stored as a SHA-256 (with the prefix kept, so a person's older ones can be found and revoked). */
const resetIdentifier = (identifier: string) => `${RESET_PREFIX}${hashSecret(identifier.slice(RESET_PREFIX.length))}`;

/** A refused password as the library reports errors, the field named first as in Tandem's own messages. */
function weakPassword(field: string, problem: string) {
  return new APIError('BAD_REQUEST', { code: 'WEAK_PASSWORD', message: `${field}: ${problem}` });
}

/**
 * Sign-in is delegated to better-auth: password hashing (scrypt), sessions in httpOnly SameSite
 * cookies, password reset, sign-in rate limiting and OpenID Connect. Tandem adds invitations
 * (an admin creates the person; the person sets a password through a link) and API tokens.
 */
export function createAuth(config: Config, db: Db, mailer: Mailer) {
  return betterAuth({
    appName: 'Tandem',
    baseURL: config.publicUrl,
    basePath: '/api/auth',
    secret: config.authSecret!,
    trustedOrigins: [config.publicUrl],
    telemetry: { enabled: false },
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: { user: people, session: sessions, account: accounts, verification: verifications, rateLimit: rateLimits },
    }),
    emailAndPassword: {
      enabled: true,
      // People are created by admins (or imported) and invited; nobody signs themselves up.
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: 60 * 60,
      async sendResetPassword({ user, token }) {
        // Issuing a link revokes every older one of this person: only the newest link works.
        await db
          .delete(verifications)
          .where(and(eq(verifications.value, user.id), like(verifications.identifier, `${RESET_PREFIX}%`), ne(verifications.identifier, resetIdentifier(`${RESET_PREFIX}${token}`))));
        const url = `${config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
        await mailer.queue(db, {
          to: user.email,
          subject: 'Reset your Tandem password',
          kind: 'password_reset',
          relatedPersonId: user.id,
          paragraphs: [
            `Hello ${user.name},`,
            'Someone asked to reset the password of your Tandem account. If it was you, choose a new password with the link below; it is valid for one hour.',
            'If it was not you, ignore this message: your password stays as it is.',
          ],
          action: { label: 'Choose a new password', url },
        });
      },
      async onPasswordReset({ user }) {
        await db.delete(verifications).where(and(eq(verifications.value, user.id), like(verifications.identifier, `${RESET_PREFIX}%`)));
      },
    },
    verification: { storeIdentifier: { default: 'plain', overrides: { [RESET_PREFIX]: { hash: async (identifier: string) => resetIdentifier(identifier) } } } },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const body = ctx.body as { newPassword?: unknown; token?: unknown } | undefined;
        if (ctx.path === '/reset-password' && typeof body?.newPassword === 'string') {
          // The token first: a signed-out caller with a bogus token gets no password estimation (CPU).
          const [row] = typeof body.token === 'string'
            ? await db.select({ value: verifications.value }).from(verifications).where(eq(verifications.identifier, resetIdentifier(`${RESET_PREFIX}${body.token}`)))
            : [];
          if (!row) throw new APIError('BAD_REQUEST', { code: 'INVALID_TOKEN', message: 'This reset link is invalid, used or expired; ask for a new one' });
          const [person] = await db.select({ name: people.name, email: people.email }).from(people).where(eq(people.id, row.value));
          const problem = passwordProblem(body.newPassword, person ? [person.name, person.email] : []);
          if (problem) throw weakPassword('newPassword', problem);
        }
        if (ctx.path === '/change-password' && typeof body?.newPassword === 'string') {
          const problem = passwordProblem(body.newPassword);
          if (problem) throw weakPassword('newPassword', problem);
          // A password change ends every other session, whatever the client asked.
          return { context: { body: { ...(ctx.body as object), revokeOtherSessions: true } } };
        }
      }),
    },
    // No signed cookie cache: every request looks the session up, so sign-out, a password change
    // and deactivation end sessions at once (docs/decisions.md has the measured cost).
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24, cookieCache: { enabled: false } },
    account: { accountLinking: { enabled: true, trustedProviders: [SSO_PROVIDER_ID] } },
    rateLimit: {
      enabled: true,
      storage: 'database',
      window: 60,
      max: 300,
      customRules: {
        '/sign-in/email': { window: config.loginRateLimit.windowSeconds, max: config.loginRateLimit.max },
        '/request-password-reset': { window: 60, max: 5 },
        '/reset-password': { window: 60, max: 10 },
        '/change-password': { window: 60, max: 10 },
      },
    },
    advanced: {
      cookiePrefix: 'tandem',
      useSecureCookies: config.publicUrl.startsWith('https://'),
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
      database: { generateId: () => uuidv7() },
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    databaseHooks: {
      session: {
        create: {
          async before(session) {
            const [person] = await db.select({ active: people.active }).from(people).where(eq(people.id, session.userId as string));
            // Deactivated people keep their history but can no longer sign in.
            if (!person?.active) throw new APIError('UNAUTHORIZED', { message: 'Invalid email or password' });
          },
          async after(session) {
            const [person] = await db
              .update(people)
              .set({ lastSignInAt: new Date() })
              .where(eq(people.id, session.userId as string))
              .returning({ id: people.id, name: people.name, email: people.email });
            if (person) {
              await recordAudit(db, { id: person.id, name: person.name, ip: session.ipAddress ?? undefined }, {
                action: 'sign_in',
                entity: 'person',
                entityId: person.id,
                summary: `${person.name} signed in`,
              }).catch(() => undefined);
            }
          },
        },
      },
    },
    plugins: config.oidc
      ? [
          genericOAuth({
            config: [
              {
                providerId: SSO_PROVIDER_ID,
                name: config.oidc.name,
                discoveryUrl: `${config.oidc.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
                clientId: config.oidc.clientId,
                clientSecret: config.oidc.clientSecret,
                scopes: ['openid', 'email', 'profile'],
                pkce: true,
                // Single sign-on admits people who already exist in Tandem (matched by email).
                disableImplicitSignUp: true,
              },
            ],
          }),
        ]
      : [],
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** Opaque secrets (invitation links, API tokens): random, and stored only as a SHA-256. */
export function newSecret(prefix: string) {
  const secret = `${prefix}_${randomBytes(24).toString('base64url')}`;
  return { secret, hash: hashSecret(secret) };
}

export function hashSecret(secret: string) {
  return createHash('sha256').update(secret).digest('hex');
}
