import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { accessLogSigner, accessLogVerifierKey, GENERATED_KEY_NAME } from '../../../src/modules/audit/keys.js';
import { generateSignerKey, parseSignerKey } from '../../../src/modules/audit/db/note.js';
import { TEST_ACCESS_LOG_SIGNING_KEY } from '../../support/access-log-key.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};
const PRODUCTION = { NODE_ENV: 'production', AUTH_JWKS_URL: 'https://idp.example/jwks', CURSOR_SECRET: 'x'.repeat(32) };

describe('the access log’s transparency settings', () => {
  it('production needs ACCESS_LOG_SIGNING_KEY, said in one line; a malformed key is refused', () => {
    expect(problemsOf(PRODUCTION)).toEqual([
      'ACCESS_LOG_SIGNING_KEY is required in production (the Ed25519 key that signs the access log’s checkpoints, PRIVATE+KEY+<origin>+<key id>+<key>: `npm run audit:checkpoint -- --new-key <origin>` makes one)',
    ]);
    expect(problemsOf({ ...PRODUCTION, ACCESS_LOG_SIGNING_KEY: 'not a key' })).toEqual([expect.stringMatching(/^ACCESS_LOG_SIGNING_KEY must be a signed-note Ed25519 signer key/)]);
    const config = loadConfig({ ...PRODUCTION, ACCESS_LOG_SIGNING_KEY: TEST_ACCESS_LOG_SIGNING_KEY });
    expect(config.accessLog).toMatchObject({ signingKey: TEST_ACCESS_LOG_SIGNING_KEY, keyFile: undefined, checkpointSeconds: 5, integrateMs: 500 });
    expect(accessLogSigner(config.accessLog).name).toBe('city-data-gateway.test/access-log');
  });

  it('cadence and witness: checked, in plain words', () => {
    expect(problemsOf({ ACCESS_LOG_CHECKPOINT_SECONDS: '0' })).toEqual(['ACCESS_LOG_CHECKPOINT_SECONDS must be a whole number from 1 to 3600, got "0"']);
    expect(problemsOf({ ACCESS_LOG_CHECKPOINT_SECONDS: '1', ACCESS_LOG_INTEGRATE_MS: '2000' })).toEqual([expect.stringMatching(/^ACCESS_LOG_INTEGRATE_MS \(2000\) must not exceed ACCESS_LOG_CHECKPOINT_SECONDS/)]);
    expect(problemsOf({ ACCESS_LOG_WITNESS_URL: 'https://witness.example' })).toEqual(['ACCESS_LOG_WITNESS_URL must be a folder or a postgres:// URL']);
    expect(loadConfig({ ACCESS_LOG_WITNESS_URL: 'postgres://w@db.example/witness' }).accessLog.witnessUrl).toBe('postgres://w@db.example/witness');
    expect(loadConfig({ ACCESS_LOG_WITNESS_URL: 'witness' }).accessLog.witnessUrl).toBe(path.resolve('witness'));
  });

  it('ACCESS_LOG_TRUSTED_KEYS: verifier keys of the keys signed with before, separated by spaces or commas; anything else refused', () => {
    const previous = accessLogSigner(loadConfig({ ACCESS_LOG_SIGNING_KEY: TEST_ACCESS_LOG_SIGNING_KEY }).accessLog).verifierKey;
    const another = parseSignerKey(generateSignerKey('city-data-gateway.test/access-log')).verifierKey;
    expect(loadConfig({}).accessLog.trustedKeys).toEqual([]);
    expect(loadConfig({ ACCESS_LOG_TRUSTED_KEYS: ` ${previous},${another}\n` }).accessLog.trustedKeys).toEqual([previous, another]);
    expect(problemsOf({ ACCESS_LOG_TRUSTED_KEYS: `${previous} PRIVATE+KEY+x` })).toEqual([expect.stringMatching(/^ACCESS_LOG_TRUSTED_KEYS holds "PRIVATE\+KEY\+x", not a signed-note Ed25519 verifier key/)]);
  });

  it('outside production a key is generated into the data folder, once, readable only by its owner', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gateway-key-'));
    try {
      const config = loadConfig({ DATA_DIR: dir });
      expect(config.accessLog.keyFile).toBe(path.join(dir, 'access-log-signing-key'));
      expect(accessLogVerifierKey(config.accessLog)).toBeUndefined();
      const signer = accessLogSigner(config.accessLog);
      expect(signer.name).toBe(GENERATED_KEY_NAME);
      expect(accessLogSigner(config.accessLog).verifierKey).toBe(signer.verifierKey);
      expect((await readFile(config.accessLog.keyFile!, 'utf8')).startsWith(`PRIVATE+KEY+${GENERATED_KEY_NAME}+`)).toBe(true);
      expect((await stat(config.accessLog.keyFile!)).mode & 0o777).toBe(0o600);
      expect(accessLogVerifierKey(config.accessLog)!.verifierKey).toBe(signer.verifierKey);
      // A verifier may be given only the public key.
      expect(accessLogVerifierKey(config.accessLog, signer.verifierKey)).toMatchObject({ name: GENERATED_KEY_NAME, keyId: signer.keyId });
      expect(loadConfig({ DATA_DIR: 'memory://' }).accessLog.keyFile).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
