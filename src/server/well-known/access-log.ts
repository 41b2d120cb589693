import { Router } from 'express';
import type { Config } from '../../config.js';
import type { Repositories } from '../../modules/repositories.js';
import type { Connections } from '../../platform/db/connection.js';
import { accessLogSigner, accessLogTrustedKeys } from '../../modules/audit/keys.js';
import { openWitness, type Witness } from '../../modules/audit/db/witness.js';
import { attachTransparency } from '../../modules/audit/graph/transparency.settings.js';
import { IntegratorService } from '../plugins/access-log/integrator.js';
import type { Logger } from '../logger.js';

export interface AccessLogTransparency {
  /** `/.well-known/access-log`: `key` and `checkpoint`. */
  router: Router;
  integrator: IntegratorService;
  stop(): Promise<void>;
}

/**
 * The access log seen from outside: its public key and latest signed checkpoint over HTTP,
 * and the integrator that grows the tree and signs (in every gateway; one holds the lease).
 *
 * - `GET /.well-known/access-log/key`: JSON with the origin, the signed-note key name and key ID,
 *   the Ed25519 public key (base64) and the verifier key string (`<name>+<id>+<key>`, as Go's
 *   sumdb/note and witnesses read it) of the current key; `keys` lists it and the keys the log
 *   rotated from (ACCESS_LOG_TRUSTED_KEYS), each with its key id, `current` on the first.
 * - `GET /.well-known/access-log/checkpoint`: the latest checkpoint, a C2SP tlog-checkpoint signed
 *   note, as text.
 */
export async function startAccessLogTransparency(deps: { config: Config; connections: Connections; repos: Repositories; logger: Logger }): Promise<AccessLogTransparency> {
  const { config, connections, repos, logger } = deps;
  const signer = accessLogSigner(config.accessLog);
  const witness: Witness | undefined = config.accessLog.witnessUrl ? openWitness(config.accessLog.witnessUrl) : undefined;
  const trusted = accessLogTrustedKeys(signer, config.accessLog);
  attachTransparency(repos.audit, { key: signer, trusted, witness });
  const integrator = new IntegratorService({ signer, audit: connections.sources.audit, source: config.sources.audit, config: config.accessLog, logger, witness });
  try {
    await integrator.start();
  } catch (error) {
    await witness?.close();
    throw error;
  }

  const router = Router();
  const keyId = signer.keyId.toString(16).padStart(8, '0');
  const described = trusted.map((key, index) => ({
    keyName: key.name,
    keyId: key.keyId.toString(16).padStart(8, '0'),
    algorithm: 'Ed25519',
    publicKey: key.publicKey.toString('base64'),
    verifierKey: key.verifierKey,
    current: index === 0,
  }));
  router.get('/key', (_req, res) => {
    res.set('cache-control', 'public, max-age=300').json({
      origin: signer.name,
      keyName: signer.name,
      keyId,
      algorithm: 'Ed25519',
      publicKey: signer.publicKey.toString('base64'),
      verifierKey: signer.verifierKey,
      // The current key first, then those the log signed with before (checkpoints they signed still verify).
      keys: described,
    });
  });
  router.get('/checkpoint', async (_req, res, next) => {
    try {
      const latest = await repos.audit.accessLogTree.latestCheckpoint();
      if (!latest) {
        res.status(503).set('retry-after', '1').type('text/plain').send('no checkpoint signed yet\n');
        return;
      }
      res.set('cache-control', 'no-store').type('text/plain; charset=utf-8').send(latest.note);
    } catch (error) {
      next(error);
    }
  });
  return {
    router,
    integrator,
    async stop() {
      await integrator.stop();
      await witness?.close();
    },
  };
}
