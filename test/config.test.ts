import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/server/config.js';
import { shouldSeedDemo } from '../src/server/main.js';

describe('configuration', () => {
  it('defaults to the embedded database in ./data on port 3000 with the outbox', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.smtpUrl).toBeUndefined();
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(shouldSeedDemo(c)).toBe(true);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ OIDC_ISSUER: 'https://id.example.com' })).toThrow(/OIDC_CLIENT_ID/);
  });

  it('seeds demo data on PostgreSQL only when asked, and never when switched off', () => {
    expect(shouldSeedDemo(loadConfig({ DATABASE_URL: 'postgres://localhost/tandem' }))).toBe(false);
    expect(shouldSeedDemo(loadConfig({ DATABASE_URL: 'postgres://localhost/tandem', DEMO_DATA: 'on' }))).toBe(true);
    expect(shouldSeedDemo(loadConfig({ DEMO_DATA: 'off' }))).toBe(false);
  });
});
