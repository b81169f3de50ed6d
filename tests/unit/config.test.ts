import { describe, expect, it } from 'vitest';
import { ConfigError, configuredNotifyChannels, parseConfig, requireSetting, workerCacheSize } from '../../config';

/** The ConfigError a bad environment raises (fails the test if none is raised). */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected parseConfig to throw');
}

const DEFAULTS = {
  NODE_ENV: 'development',
  DATABASE_POOL_SIZE: 10,
  TEMPORAL_NAMESPACE: 'default',
  TEMPORAL_TASK_QUEUE: 'duban',
  API_HOST: '127.0.0.1',
  API_PORT: 3000,
  LOG_LEVEL: 'info',
};

describe('parseConfig', () => {
  it('fills every default from an empty environment and leaves the servers unset', () => {
    const config = parseConfig({});
    expect(config).toMatchObject(DEFAULTS);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
    expect(config.WORKFLOW_BUNDLE_PATH).toBeUndefined();
    expect(config.TEMPORAL_UI_URL).toBeUndefined();
  });

  it('takes an audit key of 32+ characters and names the variable when it is shorter or missing where required', () => {
    expect(parseConfig({ AUDIT_HMAC_KEY: 'k'.repeat(32) }).AUDIT_HMAC_KEY).toBe('k'.repeat(32));
    expect(configError({ AUDIT_HMAC_KEY: 'short' }).message).toContain('AUDIT_HMAC_KEY: must be at least 32 characters');
    expect(() => requireSetting(parseConfig({}), 'AUDIT_HMAC_KEY')).toThrow(/AUDIT_HMAC_KEY: required/);
  });

  it('takes given values, converting numbers', () => {
    const config = parseConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://duban:secret@db.internal:5432/duban',
      DATABASE_POOL_SIZE: '25',
      TEMPORAL_ADDRESS: 'temporal-frontend.svc:7233',
      TEMPORAL_NAMESPACE: 'city-a',
      TEMPORAL_TASK_QUEUE: 'duban-hazards',
      WORKFLOW_BUNDLE_PATH: '/opt/duban/bundle.js',
      TEMPORAL_UI_URL: 'http://localhost:8233',
      API_HOST: '0.0.0.0',
      API_PORT: '8080',
      LOG_LEVEL: 'debug',
    });
    expect(config).toEqual({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://duban:secret@db.internal:5432/duban',
      DATABASE_POOL_SIZE: 25,
      TEMPORAL_ADDRESS: 'temporal-frontend.svc:7233',
      TEMPORAL_NAMESPACE: 'city-a',
      TEMPORAL_TASK_QUEUE: 'duban-hazards',
      WORKFLOW_BUNDLE_PATH: '/opt/duban/bundle.js',
      TEMPORAL_UI_URL: 'http://localhost:8233',
      API_HOST: '0.0.0.0',
      API_PORT: 8080,
      METRICS_HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      AUTH_TOKEN_TTL_SECONDS: 3600,
      CORS_ORIGINS: [],
      UPLOADS_PER_MINUTE: 30,
      EXPORT_ROW_LIMIT: 200_000,
      STOCK_IMPORT_RATE: 50,
      REQUEST_TIMEOUT_MS: 30_000,
      UPLOAD_TIMEOUT_MS: 120_000,
      WORKER_MAX_CONCURRENT_IMPORT_ACTIVITIES: 4,
      EVIDENCE_DIR: '.data/evidence',
      DATABASE_ROLE: 'duban_app',
      DATABASE_CONNECT_TIMEOUT_MS: 5000,
      DATABASE_STATEMENT_TIMEOUT_MS: 15000,
      TEMPORAL_CALL_TIMEOUT_MS: 10000,
      SMTP_PORT: 587,
      SMTP_SECURE: false,
      SMTP_FROM: 'duban@localhost',
      NOTIFY_DISPATCH_EVERY_MS: 5000,
    });
  });

  it('offers the notification channels that are configured, and names a bad robot URL', () => {
    expect(configuredNotifyChannels(parseConfig({}))).toEqual([]);
    const config = parseConfig({ SMTP_HOST: 'smtp.bureau.example.cn', SMTP_PORT: '465', SMTP_SECURE: 'true', WECOM_ROBOT_URL: 'https://qyapi.example.cn/cgi-bin/webhook/send?key=k' });
    expect(config).toMatchObject({ SMTP_PORT: 465, SMTP_SECURE: true });
    expect(configuredNotifyChannels(config)).toEqual(['email', 'wecom']);
    expect(configError({ DINGTALK_ROBOT_URL: 'not a url' }).message).toContain('DINGTALK_ROBOT_URL');
    expect(configError({ SMTP_SECURE: 'yes' }).message).toContain('SMTP_SECURE');
  });

  it('accepts both postgres: and postgresql: URLs', () => {
    expect(parseConfig({ DATABASE_URL: 'postgresql://localhost/duban' }).DATABASE_URL).toBe('postgresql://localhost/duban');
    expect(parseConfig({ DATABASE_URL: 'postgres://localhost/duban' }).DATABASE_URL).toBe('postgres://localhost/duban');
  });

  it('ignores variables it does not know', () => {
    expect(parseConfig({ HOME: '/root', PATH: '/usr/bin' })).not.toHaveProperty('HOME');
  });

  it('treats empty strings as unset for the server addresses, names, host and port', () => {
    const config = parseConfig({
      DATABASE_URL: '',
      DATABASE_POOL_SIZE: '',
      TEMPORAL_ADDRESS: '',
      TEMPORAL_NAMESPACE: '',
      TEMPORAL_TASK_QUEUE: '',
      WORKFLOW_BUNDLE_PATH: '',
      TEMPORAL_UI_URL: '',
      API_HOST: '',
      API_PORT: '',
    });
    expect(config).toMatchObject(DEFAULTS);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
    expect(config.WORKFLOW_BUNDLE_PATH).toBeUndefined();
    expect(config.TEMPORAL_UI_URL).toBeUndefined();
  });

  it('treats empty or blank NODE_ENV, LOG_LEVEL and API_PORT as unset', () => {
    const config = parseConfig({ NODE_ENV: '', LOG_LEVEL: '', API_PORT: '  ' });
    expect(config).toMatchObject({ NODE_ENV: 'development', LOG_LEVEL: 'info', API_PORT: 3000 });
  });

  it('refuses a TEMPORAL_ADDRESS without a port, naming TEMPORAL_ADDRESS', () => {
    const error = configError({ TEMPORAL_ADDRESS: 'nohostport' });
    expect(error.name).toBe('ConfigError');
    expect(error.message).toBe('invalid configuration:\n  TEMPORAL_ADDRESS: expected host:port');
  });

  it('refuses a TEMPORAL_ADDRESS with a non-numeric port', () => {
    expect(configError({ TEMPORAL_ADDRESS: 'localhost:http' }).message).toContain('TEMPORAL_ADDRESS');
  });

  it('refuses a non-numeric API_PORT, naming API_PORT', () => {
    const error = configError({ API_PORT: 'abc' });
    expect(error.message).toMatch(/^invalid configuration:\n {2}API_PORT: /);
    expect(error.message).not.toContain('TEMPORAL_ADDRESS');
  });

  it('refuses an API_PORT out of range or fractional', () => {
    expect(configError({ API_PORT: '65536' }).message).toContain('API_PORT');
    expect(configError({ API_PORT: '-1' }).message).toContain('API_PORT');
    expect(configError({ API_PORT: '80.5' }).message).toContain('API_PORT');
  });

  it('refuses a DATABASE_URL that is not a Postgres URL, naming DATABASE_URL', () => {
    expect(configError({ DATABASE_URL: 'mysql://x' }).message).toMatch(/^invalid configuration:\n {2}DATABASE_URL: /);
    expect(configError({ DATABASE_URL: 'not a url' }).message).toContain('DATABASE_URL');
  });

  it('sizes the worker\'s cache for its memory goal unless told, never below its workflow tasks, and refuses a size out of range', () => {
    expect(parseConfig({}).WORKER_MAX_CACHED_WORKFLOWS).toBeUndefined();
    expect(workerCacheSize(parseConfig({}))).toBe(1_000);
    expect(workerCacheSize(parseConfig({ WORKER_MAX_CACHED_WORKFLOWS: '250' }))).toBe(250);
    expect(workerCacheSize(parseConfig({ WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '1000' }))).toBe(1_000);
    expect(parseConfig({ WORKER_MAX_CACHED_WORKFLOWS: '250' }).WORKER_MAX_CACHED_WORKFLOWS).toBe(250);
    expect(configError({ WORKER_MAX_CACHED_WORKFLOWS: '-1' }).message).toContain('WORKER_MAX_CACHED_WORKFLOWS');
    expect(configError({ WORKER_MAX_CACHED_WORKFLOWS: '1.5' }).message).toContain('WORKER_MAX_CACHED_WORKFLOWS');
  });

  it('runs a few stock-import activities at once unless told, and refuses none or too many', () => {
    expect(parseConfig({}).WORKER_MAX_CONCURRENT_IMPORT_ACTIVITIES).toBe(4);
    expect(parseConfig({ WORKER_MAX_CONCURRENT_IMPORT_ACTIVITIES: '6' }).WORKER_MAX_CONCURRENT_IMPORT_ACTIVITIES).toBe(6);
    for (const bad of ['0', '101', '1.5']) expect(configError({ WORKER_MAX_CONCURRENT_IMPORT_ACTIVITIES: bad }).message).toContain('WORKER_MAX_CONCURRENT_IMPORT_ACTIVITIES');
  });

  it('refuses a pool size out of range', () => {
    expect(configError({ DATABASE_POOL_SIZE: '0' }).message).toContain('DATABASE_POOL_SIZE');
    expect(configError({ DATABASE_POOL_SIZE: '201' }).message).toContain('DATABASE_POOL_SIZE');
  });

  it('takes request deadlines in milliseconds, refusing ones too short, too long or fractional', () => {
    expect(parseConfig({ REQUEST_TIMEOUT_MS: '5000', UPLOAD_TIMEOUT_MS: '' })).toMatchObject({ REQUEST_TIMEOUT_MS: 5000, UPLOAD_TIMEOUT_MS: 120_000 });
    for (const bad of ['0', '99', '600001', '1.5', 'soon']) {
      expect(configError({ REQUEST_TIMEOUT_MS: bad }).message).toMatch(/REQUEST_TIMEOUT_MS/);
      expect(configError({ UPLOAD_TIMEOUT_MS: bad }).message).toMatch(/UPLOAD_TIMEOUT_MS/);
    }
  });

  it('takes the proxies trusted to name the client as a hop count or a list, refusing "every proxy"', () => {
    expect(parseConfig({}).TRUST_PROXY).toBeUndefined();
    expect(parseConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(parseConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1' }).TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8', 'fd00::1']);
    for (const bad of ['true', 'everyone', '10.0.0', ',']) expect(configError({ TRUST_PROXY: bad }).message).toMatch(/TRUST_PROXY/);
  });

  it('refuses an unknown NODE_ENV or LOG_LEVEL, naming it', () => {
    expect(configError({ NODE_ENV: 'staging' }).message).toContain('NODE_ENV');
    expect(configError({ LOG_LEVEL: 'verbose' }).message).toContain('LOG_LEVEL');
  });

  it('names every bad variable at once, one per line', () => {
    const lines = configError({ TEMPORAL_ADDRESS: 'nohostport', API_PORT: 'abc', DATABASE_URL: 'mysql://x' }).message.split('\n');
    expect(lines[0]).toBe('invalid configuration:');
    expect(lines.slice(1).map((l) => l.trim().split(':')[0]).sort()).toEqual(['API_PORT', 'DATABASE_URL', 'TEMPORAL_ADDRESS']);
  });
});

describe('requireSetting', () => {
  it('returns a setting that is present', () => {
    const config = parseConfig({ TEMPORAL_ADDRESS: 'localhost:7233' });
    expect(requireSetting(config, 'TEMPORAL_ADDRESS')).toBe('localhost:7233');
    expect(requireSetting(config, 'API_PORT')).toBe(3000);
  });

  it('throws a ConfigError naming the missing key', () => {
    const config = parseConfig({});
    expect(() => requireSetting(config, 'DATABASE_URL')).toThrow(ConfigError);
    expect(() => requireSetting(config, 'DATABASE_URL')).toThrow('invalid configuration:\n  DATABASE_URL: required');
    expect(() => requireSetting(config, 'TEMPORAL_ADDRESS')).toThrow('TEMPORAL_ADDRESS: required');
  });

  it('treats a setting given as an empty string as missing', () => {
    const config = parseConfig({ DATABASE_URL: '' });
    expect(() => requireSetting(config, 'DATABASE_URL')).toThrow('DATABASE_URL: required');
  });
});
